"""Loading a site again, as a preview does after every edit: what did not change
is reused (files read, items merged, what the plan made from them, calendar
files), and everything that depends on a change is made again, its problems
included. The site loaded again must equal a site loaded from scratch."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest
from conftest import ROOT, news
from test_core import settings_for, write

from divulga import ContentError, load_site
from divulga.config_file import load_site_config
from divulga.plan.incremental import PlanMemo
from divulga.read.versions import FilesRead
from divulga.write.calendar import CalendarFiles, site_calendars
from divulga.write.feeds import FeedFiles, site_feeds

TAGS = "training: {it: Formazione, en: Training}\nnetworking: {it: Reti, en: Networking}\n"
EVENT = """---
title: {title}
start: 2024-09-{day:02d}
tags: [training]
venue: {{name: Sala, city: Torino, country: IT}}
---

Programma.
"""


def site_files() -> dict[str, str]:
    files = {"content/tags.yaml": TAGS}
    for n in range(1, 5):
        files[f"content/news/2024-05-0{n}-item-{n}.it.md"] = news(f"Notizia {n}", f"2024-05-0{n}", f"Testo {n}.",
                                                                   tags=["training" if n % 2 else "networking"])
        files[f"content/news/2024-05-0{n}-item-{n}.en.md"] = news(f"Item {n}", None, f"Text {n}.")
        files[f"content/events/2024-09-0{n}-event-{n}.it.md"] = EVENT.format(title=f"Evento {n}", day=n)
    return files


def edit(path, old: str, new: str) -> None:
    """Change a file so that its modification time moves too (a file system may keep whole seconds)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


class Reloading:
    """A site loaded again and again with the same caches, as the preview's session keeps them."""

    def __init__(self, root):
        self.settings = settings_for(root, show_drafts=True)
        self.files, self.memo, self.calendars = FilesRead(), PlanMemo(), CalendarFiles()

    def load(self):
        return load_site(self.settings, self.files, self.memo)


def pages(site) -> dict[tuple, object]:
    return {(lang, page.path): page for lang in ("it", "en") for page in site.plan.for_language(lang)}


def test_what_did_not_change_is_reused_and_equals_a_fresh_load(tmp_path):
    write(tmp_path, site_files())
    session = Reloading(tmp_path)
    first = session.load()
    item = tmp_path / "content/news/2024-05-02-item-2.it.md"
    edit(item, "Notizia 2", "Notizia due, corretta")
    again = session.load()

    # the edited item is new, every other item is the one merged before
    before = {i.slug: i for i in first.content.news}
    after = {i.slug: i for i in again.content.news}
    assert after["2024-05-02-item-2"] is not before["2024-05-02-item-2"]
    assert all(after[slug] is before[slug] for slug in after if slug != "2024-05-02-item-2")
    assert all(a is b for a, b in zip(again.content.events, first.content.events))

    # an unchanged item's pages are the very pages planned before; the edited one's and the listings are new
    old, new = pages(first), pages(again)
    assert new[("it", "news/2024-05-01-item-1/")] is old[("it", "news/2024-05-01-item-1/")]
    assert new[("it", "events/2024-09-01-event-1/")] is old[("it", "events/2024-09-01-event-1/")]
    assert new[("it", "news/2024-05-02-item-2/")].title == "Notizia due, corretta"
    assert new[("en", "en/news/2024-05-02-item-2/")].alternates == old[("en", "en/news/2024-05-02-item-2/")].alternates
    listing = new[("it", "news/")]
    assert "Notizia due, corretta" in [entry.title for entry in listing.entries]
    assert "Notizia due, corretta" in [entry.title for entry in new[("it", "news/tags/networking/")].entries]
    status = new[("it", "translations/")]
    assert "Notizia due, corretta" in [row.title.label for group in status.groups for row in group.rows]

    # the whole plan, the problems and the content equal those of a load from scratch
    fresh = load_site(session.settings)
    assert pages(fresh) == new
    assert fresh.problems == again.problems
    assert fresh.content == again.content


def test_a_change_to_what_items_are_checked_against_checks_them_again(tmp_path):
    write(tmp_path, site_files())
    session = Reloading(tmp_path)
    session.load()
    # the tag every odd item uses goes: those items are now wrong, though their files did not change
    edit(tmp_path / "content/tags.yaml", "training: {it: Formazione, en: Training}\n", "")
    with pytest.raises(ContentError) as info:
        session.load()
    wrong = sorted({p.path for p in info.value.problems if p.field == "tags"})
    assert wrong == ["content/events/2024-09-01-event-1.it.md", "content/events/2024-09-02-event-2.it.md",
                     "content/events/2024-09-03-event-3.it.md", "content/events/2024-09-04-event-4.it.md",
                     "content/news/2024-05-01-item-1.it.md", "content/news/2024-05-03-item-3.it.md"]
    # once put back, the same items load without a problem, and a relabelled tag reaches every page
    (tmp_path / "content/tags.yaml").write_text(TAGS.replace("it: Reti", "it: Reti di imprese"), encoding="utf-8")
    site = session.load()
    labels = {link.label for link in pages(site)[("it", "news/2024-05-02-item-2/")].entry.tags}
    assert labels == {"Reti di imprese"}
    # an item's own problem is reported at every load, not only when its file was read
    edit(tmp_path / "content/news/2024-05-04-item-4.it.md", "date: '2024-05-04'", "date: 2024-13-04")
    for _ in range(2):
        with pytest.raises(ContentError) as info:
            session.load()
        assert [p.path for p in info.value.problems] == ["content/news/2024-05-04-item-4.it.md"]


def test_a_removed_file_and_a_new_one(tmp_path):
    write(tmp_path, site_files())
    session = Reloading(tmp_path)
    session.load()
    (tmp_path / "content/news/2024-05-03-item-3.en.md").unlink()
    write(tmp_path, {"content/news/2024-05-09-new.it.md": news("Nuova", "2024-05-09", "Testo.")})
    site = session.load()
    assert sorted(i.slug for i in site.content.news)[-1] == "2024-05-09-new"
    item = pages(site)[("en", "en/news/2024-05-03-item-3/")]
    assert item.version.lang == "it" and item.notice  # the English page falls back to the Italian text
    assert pages(load_site(session.settings)) == pages(site)


def test_calendars_made_again_only_for_changed_events(tmp_path):
    write(tmp_path, site_files())
    session = Reloading(tmp_path)
    files = site_calendars(session.load(), session.calendars)
    edit(tmp_path / "content/events/2024-09-02-event-2.it.md", "Evento 2", "Evento due")
    site = session.load()
    again = site_calendars(site, session.calendars)
    assert again == site_calendars(site)  # the same bytes as made from scratch
    changed = {path for path in again if again[path] is not files[path]}
    assert changed == {"events/2024-09-02-event-2/2024-09-02-event-2.ics",
                       "en/events/2024-09-02-event-2/2024-09-02-event-2.ics",
                       "events/calendar.ics", "en/events/calendar.ics"}
    assert b"Evento due" in again["events/calendar.ics"]


def test_a_link_checked_again_when_what_it_points_to_changes(tmp_path):
    """A text's links are checked once while neither it nor the pages and media it may point to change
    (divulga.plan.validate, kept in FilesRead): an unchanged text whose target goes is wrong at once."""
    files = site_files()
    files["content/news/2024-05-01-item-1.it.md"] = news(
        "Notizia 1", "2024-05-01", "Vedi [la seconda](2024-05-02-item-2.md) e [il file](../media/guida.pdf).",
        tags=["training"])
    files["content/media/guida.pdf"] = "%PDF-1.4\n"
    write(tmp_path, files)
    session = Reloading(tmp_path)
    first = session.load()
    assert not [p for p in first.problems if p.path.endswith("item-1.it.md")]
    # the linked item goes: the link is wrong, though the text linking to it did not change
    (tmp_path / "content/news/2024-05-02-item-2.it.md").unlink()
    (tmp_path / "content/news/2024-05-02-item-2.en.md").unlink()
    with pytest.raises(ContentError) as info:
        session.load()
    assert [(p.path, p.field) for p in info.value.problems] == [("content/news/2024-05-01-item-1.it.md", "link")]
    # back again: no problem; the media file still counts as used (no "not used" warning)
    linking = "content/news/2024-05-01-item-1.it.md"
    write(tmp_path, site_files() | {linking: files[linking]})
    again = session.load()
    assert again.problems == first.problems
    assert not [p for p in again.problems if "guida.pdf" in p.path]


def example_copy(root) -> Reloading:
    """The repository's example site (content/, docs/, mkdocs.yml) copied to ``root``, loaded as a preview does."""
    for folder in ("content", "docs"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    session = Reloading(root)
    session.settings = dataclasses.replace(load_site_config(root / "mkdocs.yml").settings, show_drafts=True)
    return session


# (file, text in it, what it becomes, whether the item keeps its place among the others)
EDITS = [
    ("news/2023-09-21-cluster-booster-academy.it.md", "due giorni a Torino", "due giornate a Torino", True),
    ("news/2023-09-21-cluster-booster-academy.en.md", "two days in Turin", "two full days in Turin", True),
    # the Italian text changes in substance: its English translation is now outdated
    ("news/2015-03-10-clus3-certificazione.it.md", "Quanto è gestito bene", "Quanto bene è gestito", True),
    ("events/2027-03-16-formazione-cluster-manager-esempio.it.md", "Evento di esempio del sito",
     "Un evento di esempio del sito", True),
    ("results/2017-10-31-piano-azione-transnazionale-s3.it.md", "il piano d'azione", "il piano di azione", True),
    ("news/2023-09-21-cluster-booster-academy.en.md", "date: 2023-09-21", "date: 2023-09-21\ndraft: true", True),
    # a new date (in both versions), a tag fewer: the item moves among the others, and the whole site is
    # planned again
    ("news/2023-09-21-cluster-booster-academy.*.md", "date: 2023-09-21", "date: 2023-09-20", False),
    ("news/2015-03-10-clus3-certificazione.*.md", "certification, training]", "certification]", False),
]


def test_a_plan_made_from_the_last_one_equals_a_plan_made_from_scratch(tmp_path):
    session = example_copy(tmp_path)
    site = session.load()
    for path, old, new, in_place in EDITS:
        for file in (tmp_path / "content").glob(path):
            edit(file, old, new)
        before = pages(site)
        site = session.load()
        fresh = load_site(session.settings)
        assert site.plan == fresh.plan, path
        assert site.problems == fresh.problems
        # planned from the last plan, a page the edit does not touch is the very page planned before
        now = pages(site)
        assert (now[("it", "partners/")] is before[("it", "partners/")]) is in_place, path
        changed = {key for key, page in now.items() if page is not before[key]}
        assert changed and all(page == before[key] for key, page in now.items() if key not in changed)
    status = pages(site)[("en", "en/translations/")]
    outdated = [row.title.label for group in status.groups for row in group.rows
                if any(cell.status == "outdated" for cell in row.cells)]
    assert any("CLUS3" in title for title in outdated), outdated


def test_feeds_made_again_only_where_an_edit_shows(tmp_path):
    write(tmp_path, site_files())
    session = Reloading(tmp_path)
    session.settings = dataclasses.replace(session.settings, feed_items=2)
    made = FeedFiles()

    def feeds():
        site = session.load()
        return site_feeds(site.content, site.settings, site.l10n, made), site

    first, _ = feeds()
    # the oldest item is not among the two a feed shows: no feed changes
    edit(tmp_path / "content/news/2024-05-01-item-1.it.md", "Notizia 1", "Notizia uno")
    second, _ = feeds()
    assert all(second[path] is first[path] for path in first)
    # the latest one is: the news feeds are made again (the item is new in both languages), the others are
    # those made before
    edit(tmp_path / "content/news/2024-05-04-item-4.it.md", "Notizia 4", "Notizia quattro")
    third, site = feeds()
    assert "Notizia quattro" in third["feed.xml"] and third["feed.xml"] is not second["feed.xml"]
    others = [path for path in third if path not in ("feed.xml", "en/feed.xml")]
    assert others and all(third[path] is second[path] for path in others)
    assert third == site_feeds(site.content, site.settings, site.l10n)


def test_a_reload_looks_again_only_at_the_files_the_watcher_names(tmp_path):
    write(tmp_path, site_files())
    session = Reloading(tmp_path)
    listings = session.files.listings
    news_dir = tmp_path / "content/news"

    def load(changed):
        listings.changes(None if changed is None else {str(path) for path in changed})
        return {item.slug: item.versions["it"].title for item in session.load().content.news}

    load(None)
    first = news_dir / "2024-05-01-item-1.it.md"
    edit(first, "Notizia 1", "Notizia uno")
    assert load([first])["2024-05-01-item-1"] == "Notizia uno"
    # a change nobody reports is not looked for (what the watcher is for) ...
    edit(first, "Notizia uno", "Notizia prima")
    assert load([])["2024-05-01-item-1"] == "Notizia uno"
    # ... but a folder whose own time moved (a file created there) with nothing reported is listed again
    write(tmp_path, {"content/news/2024-05-08-unreported.it.md": news("Non detta", "2024-05-08", "Testo.")})
    os.utime(news_dir, ns=(news_dir.stat().st_atime_ns, news_dir.stat().st_mtime_ns + 2_000_000_000))
    titles = load([])
    assert titles["2024-05-08-unreported"] == "Non detta" and titles["2024-05-01-item-1"] == "Notizia prima"
    # ... and so is every folder when a load cannot tell what changed
    edit(first, "Notizia prima", "Notizia uno")
    assert load(None)["2024-05-01-item-1"] == "Notizia uno"
    # a new file, a deleted one
    added = news_dir / "2024-05-09-new.it.md"
    write(tmp_path, {"content/news/2024-05-09-new.it.md": news("Nuova", "2024-05-09", "Testo.")})
    gone = [news_dir / "2024-05-02-item-2.it.md", news_dir / "2024-05-02-item-2.en.md"]
    for path in gone:
        path.unlink()
    titles = load([added, *gone])
    assert titles["2024-05-09-new"] == "Nuova" and "2024-05-02-item-2" not in titles
    assert session.load().content == load_site(session.settings).content


def test_a_folder_with_a_link_is_listed_again_at_every_load(tmp_path):
    write(tmp_path, {**site_files(), "texts/item-5.it.md": news("Condivisa", "2024-05-05", "Testo.")})
    (tmp_path / "content/news/2024-05-05-item-5.it.md").symlink_to(tmp_path / "texts/item-5.it.md")
    session = Reloading(tmp_path)
    listings = session.files.listings

    def title():
        return next(item for item in session.load().content.news if item.slug == "2024-05-05-item-5").versions[
            "it"].title

    listings.changes(None)
    assert title() == "Condivisa"
    # what the link leads to changes, outside what the watcher watches: the folder is listed again all the same
    edit(tmp_path / "texts/item-5.it.md", "Condivisa", "Condivisa, corretta")
    listings.changes(set())
    assert title() == "Condivisa, corretta"
