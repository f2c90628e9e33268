"""Events: ``content/events/<slug>.<lang>.md``, one file per language version
(read, checked and merged by divulga.read.versions, against ``schema.EVENT``),
in the order they take place."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Executor
from typing import Any
from zoneinfo import ZoneInfo

from divulga import urls
from divulga.problems import Problem
from divulga.read.model import EventItem, NewsFile, NewsVersion, Tag
from divulga.read.schema import EVENT
from divulga.read.versions import FilesRead, ItemKind, load_items
from divulga.settings import Settings

EVENTS_DIR = "events"


def _zoned(value: Any, zone: str) -> Any:
    """A time written without an offset is in the event's time zone."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo(zone))
    return value


def _event(slug: str, versions: dict[str, NewsVersion], facts: dict[str, Any], settings: Settings) -> EventItem:
    zone = facts.get("timezone") or settings.timezone
    return EventItem(
        slug=slug, versions=versions, start=_zoned(facts["start"], zone), end=_zoned(facts.get("end"), zone),
        timezone=zone, attendance=facts.get("attendance") or "in_person", venue=facts.get("venue"),
        online_url=facts.get("online_url"), registration_url=facts.get("registration_url"),
        status=facts.get("status") or "scheduled", tags=tuple(facts.get("tags", ())),
        projects=tuple(facts.get("projects", ())), image=facts.get("image"))


def _when(item: EventItem) -> tuple:
    start = item.start
    moment = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time(), dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc), item.slug


EVENT_KIND = ItemKind(name="event", folder=EVENTS_DIR, schema=EVENT, reserved=urls.RESERVED_EVENT_SLUGS,
                      build=_event, sort_key=_when)


def load_events(settings: Settings, tags: dict[str, Tag] | None, project_ids: frozenset[str] | None,
                media: frozenset[str] = frozenset(), unusable: frozenset[str] = frozenset(),
                cache: FilesRead | None = None,
                helper: Executor | None = None) -> tuple[list[EventItem], list[NewsFile], list[Problem]]:
    """Every event (soonest first), every event file read, and every problem."""
    return load_items(EVENT_KIND, settings, tags, project_ids, media, unusable, cache, helper)
