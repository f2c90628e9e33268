"""The partners of every project, each organisation once.

Sheets name their partners one by one, and the same organisation may take
part in several projects, sometimes spelled differently. Two entries are the
same partner when they have the same name (in the default language, case and
spacing aside) and country, or the same ``id:``; joined entries keep the
first spelling, in the order of the sheets. Pure: no formatting here (the
planner turns partners into what a page in one language shows).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from divulga.read.model import Partner, Project


@dataclass(frozen=True)
class Participation:
    project: Project
    partner: Partner  # as that sheet writes it


@dataclass(frozen=True)
class JoinedPartner:
    """One organisation and every project it takes part in."""

    partner: Partner  # the first entry naming it
    participations: tuple[Participation, ...]

    @property
    def url(self) -> str | None:
        return next((p.partner.url for p in self.participations if p.partner.url), None)

    @property
    def logo(self) -> str | None:
        return next((p.partner.logo for p in self.participations if p.partner.logo), None)


def _name_key(partner: Partner, default: str) -> tuple[str, str]:
    name = partner.name.values.get(default) or next(iter(partner.name.values.values()), "")
    return " ".join(name.casefold().split()), partner.country


def join_partners(projects: list[Project], default: str) -> list[JoinedPartner]:
    """Every partner of ``projects``, once, in the order first named."""
    entries = [Participation(project, partner) for project in projects for partner in project.partners]
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[tuple, int] = {}
    for index, entry in enumerate(entries):
        keys = [("name", *_name_key(entry.partner, default))]
        if entry.partner.id:
            keys.append(("id", entry.partner.id))
        for key in keys:
            if key in first_of:
                a, b = root(first_of[key]), root(index)
                parent[max(a, b)] = min(a, b)
            else:
                first_of[key] = index
    groups: dict[int, list[Participation]] = {}
    for index, entry in enumerate(entries):
        groups.setdefault(root(index), []).append(entry)
    return [JoinedPartner(members[0].partner, tuple(members)) for _, members in sorted(groups.items())]


def country_counts(partners: list[Partner] | list[JoinedPartner]) -> Counter[str]:
    """How many partners each country has."""
    return Counter(p.partner.country if isinstance(p, JoinedPartner) else p.country for p in partners)
