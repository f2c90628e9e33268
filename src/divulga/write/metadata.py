"""What a page's <head> tells search engines and link previews.

hreflang alternates (x-default = the default language), Open Graph / Twitter
card fields and schema.org JSON-LD, computed from the plan so that every
engine adapter renders the same. JSON-LD is serialized so that no value can
close the surrounding <script> element.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from markupsafe import Markup

from divulga import urls
from divulga.l10n import Localizer
from divulga.plan.pages import EVENT, NEWS_ITEM, PROJECT, RESULT, PlannedPage
from divulga.read.model import EventItem, Project
from divulga.settings import Settings
from divulga.text import first_paragraph, shorten


@dataclass(frozen=True)
class Head:
    url: str  # absolute address of the page
    title: str
    description: str
    og_type: str  # "article" | "website"
    og_locale: str  # "it_IT"
    og_locale_alternates: tuple[str, ...]
    image: str  # absolute
    hreflang: tuple[tuple[str, str], ...]  # (hreflang, absolute URL), x-default last
    published: str | None = None  # ISO date, news only
    json_ld: tuple[Markup, ...] = field(default_factory=tuple)  # serialized, safe inside <script>


def og_locale(l10n: Localizer, lang: str) -> str:
    """Open Graph locale ("it_IT", "en_GB") from the language's CLDR locale."""
    return _og_locale(str(l10n.locale(lang)))


@lru_cache(maxsize=None)
def _og_locale(identifier: str) -> str:
    locale = Locale.parse(identifier)
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = Locale.parse(get_global("likely_subtags").get(locale.language, locale.language))
    return f"{likely.language}_{likely.territory}" if likely.territory else locale.language


def script_json(data: object) -> Markup:
    """JSON for a <script type="application/ld+json"> element.

    ``<``, ``>`` and ``&`` are written as \\u escapes: still the same JSON,
    but "</script>" inside a title can no longer end the element. Markup:
    safe to print as it is inside <script> (templates autoescape the rest).
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def organization(settings: Settings) -> dict:
    return {"@type": "Organization", "name": settings.site_name,
            "url": urls.absolute(settings.site_url, urls.home(settings.default_language.prefix))}


def head(settings: Settings, l10n: Localizer, lang: str, *, path: str, title: str,
         alternates: dict[str, str], planned: PlannedPage | None = None,
         project: Project | None = None, description: str | None = None, image: str | None = None,
         event: EventItem | None = None) -> Head:
    """The head metadata of one page; ``alternates`` maps languages to site-relative paths;
    ``image``: the site path of the page's own link-preview picture (1200 × 630), if any."""
    default = settings.default_language.code
    def absolute(site_path: str) -> str:
        return urls.absolute(settings.site_url, site_path)

    hreflang = [(code, absolute(alternates[code])) for code in settings.codes if code in alternates]
    if default in alternates:
        hreflang.append(("x-default", absolute(alternates[default])))
    url = absolute(path)
    image = absolute(image or settings.social_image)
    description = description or settings.describe(lang)
    published = None
    graph: list[dict] = []

    if planned is not None and planned.kind == NEWS_ITEM:
        entry, version = planned.entry, planned.version
        description = entry.summary or description
        published = entry.date.isoformat()
        graph.append({
            "@context": "https://schema.org", "@type": "NewsArticle",
            "headline": entry.title, "description": entry.summary, "datePublished": published,
            "inLanguage": version.lang, "image": [image], "url": url, "mainEntityOfPage": url,
            "author": ({"@type": "Person", "name": version.author} if version.author
                       else organization(settings)),
            "publisher": organization(settings),
        })
    elif planned is not None and planned.kind == EVENT:
        description = planned.entry.summary or description
        graph.append(event_json(planned, event, settings, url, image, absolute))
    elif planned is not None and planned.kind == RESULT:
        description = planned.entry.summary or description
        published = planned.entry.date.isoformat()
        graph.append(result_json(planned, settings, url, image, absolute))
    elif planned is not None and planned.kind == PROJECT and project is not None:
        view = planned.project
        summary_text, _ = project.summary.get(lang, (default,))
        description = shorten(first_paragraph(summary_text))
        data = {
            "@context": "https://schema.org", "@type": "Project",
            "name": view.title.text, "alternateName": view.acronym, "description": description, "url": url,
        }
        if project.website:
            data["sameAs"] = project.website
        if project.start:
            data["foundingDate"] = project.start.isoformat()
        if project.end:
            data["dissolutionDate"] = project.end.isoformat()
        grant = {"@type": "MonetaryGrant", "name": view.programme.text,
                 "funder": {"@type": "GovernmentOrganization", "name": "European Union"}}
        if project.budget is not None:
            grant["amount"] = {"@type": "MonetaryAmount", "currency": project.budget.currency,
                               "value": float(project.budget.eu_contribution)}
        if project.grant_agreement:
            grant["identifier"] = project.grant_agreement
        data["funding"] = grant
        if view.partners:
            data["member"] = [{"@type": "Organization", "name": p.name.text,
                               "address": {"@type": "PostalAddress", "addressCountry": code}}
                              for p, code in zip(view.partners, _partner_countries(project))]
        graph.append(data)

    return Head(
        url=url, title=title, description=description or "", og_type="article" if published else "website",
        og_locale=og_locale(l10n, lang),
        og_locale_alternates=tuple(og_locale(l10n, code) for code in settings.codes
                                   if code != lang and code in alternates),
        image=image, hreflang=tuple(hreflang), published=published,
        json_ld=(_site_json(**organization(settings)), *(script_json(item) for item in graph)),
    )


@lru_cache(maxsize=8)
def _site_json(**site: str) -> Markup:
    """The site's own JSON-LD, the first on every page, serialized once: the
    Organization (``organization``'s fields, in their order)."""
    return script_json({"@context": "https://schema.org", **site})


# schema.org's names for an event's attendance and status
ATTENDANCE_MODES = {"in_person": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
                    "mixed": "MixedEventAttendanceMode"}
EVENT_STATUSES = {"scheduled": "EventScheduled", "cancelled": "EventCancelled", "postponed": "EventPostponed",
                  "rescheduled": "EventRescheduled", "moved_online": "EventMovedOnline"}


def event_json(planned: PlannedPage, event: EventItem | None, settings: Settings, url: str, image: str,
               absolute) -> dict:
    """schema.org Event: when (with its offset), how and where, who organizes
    it (the site) and which projects it is about."""
    entry = planned.entry
    data = {
        "@context": "https://schema.org", "@type": "Event", "name": entry.title, "url": url,
        "inLanguage": entry.lang, "image": [image], "startDate": planned.details.start,
        "organizer": organization(settings),
    }
    if entry.summary:
        data["description"] = entry.summary
    if planned.details.end:
        data["endDate"] = planned.details.end
    if event is None:
        return data
    data["eventAttendanceMode"] = "https://schema.org/" + ATTENDANCE_MODES[event.attendance]
    data["eventStatus"] = "https://schema.org/" + EVENT_STATUSES[event.status]
    places = []
    if event.venue is not None:
        venue = event.venue
        address = {"@type": "PostalAddress", "addressCountry": venue.country}
        if venue.address is not None:
            address["streetAddress"] = venue.address.get(planned.lang, settings.codes)[0]
        if venue.city is not None:
            address["addressLocality"] = venue.city.get(planned.lang, settings.codes)[0]
        places.append({"@type": "Place", "name": venue.name.get(planned.lang, settings.codes)[0],
                       "address": address})
    if event.attendance != "in_person" or event.venue is None:
        virtual = {"@type": "VirtualLocation"}
        if event.online_url:
            virtual["url"] = event.online_url
        places.append(virtual)
    data["location"] = places[0] if len(places) == 1 else places
    if planned.projects:
        data["about"] = [{"@type": "Project", "name": link.label, "url": absolute(link.path)}
                         for link in planned.projects]
    if event.registration_url:
        data["offers"] = {"@type": "Offer", "url": event.registration_url}
    return data


# schema.org's type for each type of result (CreativeWork for the others)
RESULT_TYPES = {"report": "Report", "policy_brief": "Report", "dataset": "Dataset", "video": "VideoObject",
                "article": "Article", "presentation": "PresentationDigitalDocument"}


def result_json(planned: PlannedPage, settings: Settings, url: str, image: str, absolute) -> dict:
    """schema.org Report, Dataset, CreativeWork…: what it is, its licence,
    DOI, files, and the projects it is part of."""
    entry, details = planned.entry, planned.details
    kind = RESULT_TYPES.get(entry.type, "CreativeWork")
    data = {
        "@context": "https://schema.org", "@type": kind, "name": entry.title, "url": url,
        "inLanguage": entry.lang, "image": [image], "datePublished": entry.date.isoformat(),
        "publisher": organization(settings),
    }
    if entry.summary:
        data["description"] = entry.summary
    if details.licence is not None:
        data["license"] = details.licence.path
    if details.doi is not None:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": details.doi.label,
                              "url": details.doi.path}
    if planned.projects:
        data["isPartOf"] = [{"@type": "Project", "name": link.label, "url": absolute(link.path)}
                            for link in planned.projects]
    files = [{"@type": "DataDownload" if kind == "Dataset" else "MediaObject",
              "contentUrl": absolute(download.path) if download.path else download.url,
              **({"inLanguage": download.lang} if download.lang else {})}
             for download in details.downloads]
    if files:
        data["distribution" if kind == "Dataset" else "associatedMedia"] = files
    return data


def _partner_countries(project: Project) -> list[str]:
    """Country codes in the order the sheet view lists partners (lead first)."""
    return [p.country for p in sorted(project.partners, key=lambda p: p.role != "lead")]
