"""The URL scheme (divulga.urls) and the page types (divulga.plan.pages), without a build."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import news

from divulga import Language, Settings, load_site, urls
from divulga.plan.pages import (
    ARCHIVE_INDEX,
    NEWS_ITEM,
    NEWS_LIST,
    PARTNERS,
    PROJECT,
    PROJECTS_INDEX,
    RESULT,
    RESULT_LIST,
    TAG_LIST,
    TAGS_INDEX,
    YEAR_LIST,
    EventListPage,
    EventPage,
    LinkIndexPage,
    ListingPage,
    NewsItemPage,
    PartnersPage,
    PlannedPage,
    ProjectPage,
    ProjectsIndexPage,
    ResultListPage,
    ResultPage,
)

IT_EN = (Language("it", "Italiano", default=True), Language("en", "English"))
DEFAULT, OTHER = "", "en/"  # the prefixes of the default language and of another


# -- the scheme, function by function ---------------------------------------------

def test_language_prefix_puts_the_default_language_at_the_root():
    assert urls.language_prefix("it", default=True) == DEFAULT
    assert urls.language_prefix("en", default=False) == OTHER
    assert [lang.prefix for lang in IT_EN] == [DEFAULT, OTHER]  # Settings agree


def test_unprefixed():
    assert urls.unprefixed("en/news/a/", "en") == "news/a/"
    assert urls.unprefixed("news/a/", "it") == "news/a/"  # default language: no prefix
    assert urls.unprefixed("en/", "en") == ""


def test_home():
    assert urls.home(DEFAULT) == ""
    assert urls.home(OTHER) == "en/"


def test_paged_page_one_is_the_listing_itself():
    assert urls.paged("news/", 1) == "news/"
    assert urls.paged("news/", 3) == "news/page/3/"


def test_news_item():
    assert urls.news_item(DEFAULT, "2024-01-01-a") == "news/2024-01-01-a/"
    assert urls.news_item(OTHER, "2024-01-01-a") == "en/news/2024-01-01-a/"


def test_news_listing_page_one_and_n():
    assert urls.news_listing(DEFAULT) == urls.news_listing(DEFAULT, 1) == "news/"
    assert urls.news_listing(OTHER) == "en/news/"
    assert urls.news_listing(DEFAULT, 2) == "news/page/2/"
    assert urls.news_listing(OTHER, 12) == "en/news/page/12/"


def test_tag_pages_and_their_index():
    assert urls.tags_index(DEFAULT) == "news/tags/"
    assert urls.tags_index(OTHER) == "en/news/tags/"
    assert urls.tag(DEFAULT, "training") == urls.tag(DEFAULT, "training", 1) == "news/tags/training/"
    assert urls.tag(OTHER, "training") == "en/news/tags/training/"
    assert urls.tag(DEFAULT, "training", 2) == "news/tags/training/page/2/"
    assert urls.tag(OTHER, "training", 3) == "en/news/tags/training/page/3/"


def test_year_pages_and_the_archive_index():
    assert urls.archive_index(DEFAULT) == "news/archive/"
    assert urls.archive_index(OTHER) == "en/news/archive/"
    assert urls.year(DEFAULT, 2024) == urls.year(DEFAULT, 2024, 1) == "news/archive/2024/"
    assert urls.year(OTHER, 2024) == "en/news/archive/2024/"
    assert urls.year(DEFAULT, 2024, 2) == "news/archive/2024/page/2/"
    assert urls.year(OTHER, 2023, 4) == "en/news/archive/2023/page/4/"


def test_projects_index_and_sheets():
    assert urls.projects_index(DEFAULT) == "projects/"
    assert urls.projects_index(OTHER) == "en/projects/"
    assert urls.project(DEFAULT, "green") == "projects/green/"
    assert urls.project(OTHER, "green") == "en/projects/green/"


def test_feeds_per_language_and_per_project():
    assert urls.feed(DEFAULT) == "feed.xml"
    assert urls.feed(OTHER) == "en/feed.xml"
    assert urls.feed(DEFAULT, "green") == "projects/green/feed.xml"
    assert urls.feed(OTHER, "green") == "en/projects/green/feed.xml"


def test_search_bundle_is_per_language_code_in_every_language():
    assert urls.search_bundle("it") == "pagefind/it/"  # the default language too
    assert urls.search_bundle("en") == "pagefind/en/"
    assert urls.search_bundle("en").startswith(urls.SEARCH_ROOT)


def test_not_found_page_per_language():
    assert urls.not_found(DEFAULT) == "404.html"
    assert urls.not_found(OTHER) == "en/404.html"


def test_media_files_are_shared_by_every_language():
    assert urls.media("photo.jpg") == "media/photo.jpg"
    assert urls.media("a/b.svg") == "media/a/b.svg"


def test_site_files():
    assert (urls.SITEMAP, urls.SITEMAP_GZ) == ("sitemap.xml", "sitemap.xml.gz")


@pytest.mark.parametrize("site_url", ["https://example.org/divulga", "https://example.org/divulga/"])
def test_absolute_keeps_the_site_url_sub_path(site_url):
    assert urls.absolute(site_url, "en/news/a/") == "https://example.org/divulga/en/news/a/"
    assert urls.absolute(site_url, urls.home(DEFAULT)) == "https://example.org/divulga/"
    assert urls.absolute(site_url, urls.feed(OTHER, "x")) == "https://example.org/divulga/en/projects/x/feed.xml"
    assert urls.absolute(site_url, "/media/a.png") == "https://example.org/divulga/media/a.png"


def test_absolute_at_a_domain_root_and_without_site_url():
    assert urls.absolute("https://example.org", "news/") == "https://example.org/news/"
    assert urls.absolute("https://example.org/", "") == "https://example.org/"
    assert urls.absolute("", "en/news/") == "/en/news/"  # no site_url: root-relative
    settings = Settings(root=Path("/x"), languages=IT_EN, content_dir=Path("/x/content"),
                        site_url="https://example.org/divulga/")
    assert urls.absolute(settings.site_url, "en/news/") == settings.absolute("en/news/")  # Settings agree


def test_output_file_and_page_address():
    assert urls.output_file("news/a/") == "news/a/index.html"
    assert urls.output_file(urls.home(DEFAULT)) == "index.html"
    assert urls.output_file(urls.home(OTHER)) == "en/index.html"
    assert urls.page_address("en/news/a/index.html") == "en/news/a/"
    assert urls.page_address("index.html") == ""
    assert urls.page_address("en/feed.xml") == "en/feed.xml"  # a file stands for itself


def test_document_page_of_a_docs_file():
    assert urls.document_page("about.md") == "about/"
    assert urls.document_page("index.md") == ""
    assert urls.document_page("README.md") == ""
    assert urls.document_page("news/index.md") == "news/"
    assert urls.document_page("a/README.md") == "a/"
    assert urls.document_page("a/b.md") == "a/b/"


def test_virtual_sources_of_generated_pages():
    assert urls.source_path(urls.news_listing(DEFAULT)) == "news/index.md"
    assert urls.source_path(urls.project(DEFAULT, "x")) == "projects/x/index.md"
    assert urls.source_path(urls.news_listing(DEFAULT, 2)) == "news/page/2/index.md"
    assert urls.news_item_source("2024-01-01-a") == "news/2024-01-01-a.md"
    # a docs file at a generated page's source would take its address
    assert urls.document_page(urls.source_path("news/tags/")) == "news/tags/"
    assert urls.document_page(urls.news_item_source("a")) == urls.news_item(DEFAULT, "a")


def test_reserved_slugs_are_the_listing_folders():
    from divulga.read.news import RESERVED_SLUGS
    assert set(urls.RESERVED_NEWS_SLUGS) == set(RESERVED_SLUGS)
    for slug in urls.RESERVED_NEWS_SLUGS:
        taken = {urls.news_listing(DEFAULT, 2), urls.tags_index(DEFAULT), urls.archive_index(DEFAULT),
                 urls.source_path(urls.news_listing(DEFAULT))}
        assert any(path.startswith(f"news/{slug}") for path in taken)


def test_feed_and_bundle_helpers_follow_the_scheme(tmp_path):
    from divulga.write.feeds import feed_path
    from divulga.write.search_index import bundle_path
    settings = Settings(root=tmp_path, languages=IT_EN, content_dir=tmp_path / "content")
    assert feed_path(settings, "it") == urls.feed(DEFAULT)
    assert feed_path(settings, "en", "x") == urls.feed(OTHER, "x")
    assert bundle_path("en") == urls.search_bundle("en")


# -- the plan: every kind's type, path and data --------------------------------------

SHEET = "acronym: X\ntitle: {it: Progetto, en: Project}\nprogramme: P\nsummary: S\ntags: [t]\n"


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    root = tmp_path_factory.mktemp("plan")
    files = {
        "content/tags.yaml": "t: {it: Uno, en: One}\n",
        "content/projects/x.yaml": SHEET,
        "content/media/a.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
        "content/news/2023-05-01-a.it.md": news("A", "2023-05-01", tags=["t"], projects=["x"],
                                                image="a.svg", image_alt="Alt"),
        "content/news/2024-05-01-b.it.md": news("B", "2024-05-01", tags=["t"]),
        "content/news/2024-05-01-b.en.md": news("B en", None),
        "content/news/2024-06-01-c.en.md": news("C", "2024-06-01"),
        "content/events/2024-07-01-e.it.md": "---\ntitle: E\nstart: 2024-07-01\nattendance: online\n"
                                             "projects: [x]\n---\nProgramma.\n",
        "content/results/2024-08-01-r.it.md": "---\ntitle: R\ndate: 2024-08-01\ntype: report\n"
                                              "files: [{url: 'https://example.org/r'}]\nprojects: [x]\n---\nTesto.\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    settings = Settings(root=root, languages=IT_EN, content_dir=root / "content",
                        news_per_page=2, archive_per_page=1)
    return load_site(settings).plan


def test_every_kind_has_its_type_and_its_path(plan):
    for lang, prefix in (("it", DEFAULT), ("en", OTHER)):
        pages = {page.key: page for page in plan.for_language(lang)}
        expected = {
            ("news", "2023-05-01-a"): (NewsItemPage, NEWS_ITEM, urls.news_item(prefix, "2023-05-01-a")),
            ("news", 1): (ListingPage, NEWS_LIST, urls.news_listing(prefix)),
            ("news", 2): (ListingPage, NEWS_LIST, urls.news_listing(prefix, 2)),
            ("tag", "t", 1): (ListingPage, TAG_LIST, urls.tag(prefix, "t")),
            ("tag", "t", 2): (ListingPage, TAG_LIST, urls.tag(prefix, "t", 2)),
            ("tags",): (LinkIndexPage, TAGS_INDEX, urls.tags_index(prefix)),
            ("year", 2024, 2): (ListingPage, YEAR_LIST, urls.year(prefix, 2024, 2)),
            ("year", 2023, 1): (ListingPage, YEAR_LIST, urls.year(prefix, 2023)),
            ("archive",): (LinkIndexPage, ARCHIVE_INDEX, urls.archive_index(prefix)),
            ("project", "x"): (ProjectPage, PROJECT, urls.project(prefix, "x")),
            ("projects",): (ProjectsIndexPage, PROJECTS_INDEX, urls.projects_index(prefix)),
            ("result", "2024-08-01-r"): (ResultPage, RESULT, urls.result(prefix, "2024-08-01-r")),
            ("results", 1): (ResultListPage, RESULT_LIST, urls.results_listing(prefix)),
            ("results", "type", "report", 1): (ResultListPage, RESULT_LIST,
                                               urls.results_by(prefix, "type", "report")),
            ("results", "project", "x", 1): (ResultListPage, RESULT_LIST, urls.results_by(prefix, "project", "x")),
            ("results", "year", 2024, 1): (ResultListPage, RESULT_LIST, urls.results_by(prefix, "year", 2024)),
            ("partners",): (PartnersPage, PARTNERS, urls.partners(prefix)),
        }
        for key, (cls, kind, path) in expected.items():
            page = pages[key]
            assert (type(page), page.kind, page.path, page.lang) == (cls, kind, path, lang), key
            assert isinstance(page, PlannedPage)
            assert page.source_path == (urls.news_item_source(key[1]) if kind == NEWS_ITEM
                                        else urls.result_source(key[1]) if kind == RESULT
                                        else urls.source_path(urls.unprefixed(path, lang)))
        assert plan.news_index[lang] == urls.news_listing(prefix)
        assert plan.projects_index[lang] == urls.projects_index(prefix)
        assert plan.tags_index[lang] == urls.tags_index(prefix)
        assert plan.archive_index[lang] == urls.archive_index(prefix)


def test_links_inside_pages_follow_the_scheme(plan):
    pages = {page.key: page for page in plan.for_language("en")}
    item = pages[("news", "2023-05-01-a")]
    assert item.entry.path == item.path
    assert [tag.path for tag in item.entry.tags] == [urls.tag(OTHER, "t")]
    assert [link.path for link in item.projects] == [urls.project(OTHER, "x")]
    assert item.image.path == urls.media("a.svg")
    assert pages[("news", 1)].pagination.next == urls.news_listing(OTHER, 2)
    assert [link.path for link in pages[("archive",)].links] == [urls.year(OTHER, 2024), urls.year(OTHER, 2023)]
    assert [link.path for link in pages[("project", "x")].links] == [urls.tag(OTHER, "t")]
    assert item.alternates == {"it": urls.news_item(DEFAULT, "2023-05-01-a"), "en": item.path}


def test_page_types_hold_only_their_own_fields(plan):
    common = {"key", "lang", "path", "kind", "title", "markdown", "alternates"}
    own = {
        NewsItemPage: {"entry", "version", "notice", "outdated", "image", "author", "projects", "project_acronyms"},
        ListingPage: {"entries", "pagination"},
        LinkIndexPage: {"links"},
        ProjectPage: {"project", "entries", "events", "results", "more", "countries", "data", "links", "outdated"},
        ProjectsIndexPage: {"project_list"},
        EventPage: {"entry", "version", "details", "notice", "outdated", "image", "projects", "project_acronyms"},
        EventListPage: {"upcoming", "entries", "pagination", "calendar", "calendar_url"},
        ResultPage: {"entry", "version", "details", "notice", "outdated", "image", "projects", "project_acronyms"},
        ResultListPage: {"entries", "pagination", "filters", "all_results", "filtered"},
        PartnersPage: {"partners", "countries"},
    }
    for cls, names in own.items():
        assert {f.name for f in dataclasses.fields(cls)} == common | names, cls
    # what the adapter and the templates read on every planned page
    # (a kind without them answers None or ())
    generic = {"entry": None, "version": None, "image": None, "pagination": None, "entries": ()}
    kinds = set()
    for page in plan.for_language("it"):
        kinds.add(type(page))
        for name, absent in generic.items():
            if name not in own[type(page)]:
                assert getattr(page, name) == absent, (page.key, name)
        assert page.template.startswith("divulga/")
    assert kinds == set(own)
    searchable = {page.key for page in plan.for_language("it") if page.searchable}
    assert searchable == {("news", "2023-05-01-a"), ("news", "2024-05-01-b"), ("project", "x"),
                          ("event", "2024-07-01-e"), ("result", "2024-08-01-r")}


def test_pages_are_frozen_and_compare_by_value(plan):
    page = next(p for p in plan.for_language("it") if isinstance(p, ListingPage))
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.title = "x"  # type: ignore[misc]
    same = dataclasses.replace(page)
    assert same == page and same is not page
    assert dataclasses.replace(page, title="other") != page
    assert page.with_alternates({"it": page.path}) != page  # alternates count
    with pytest.raises(ValueError):
        ListingPage(key=("x",), lang="it", path="x/", kind=PROJECT, title="x")
    item = next(p for p in plan.for_language("it") if isinstance(p, NewsItemPage))
    fields = dict(key=item.key, lang="it", path=item.path, title=item.title, entry=item.entry, version=item.version)
    assert NewsItemPage(**fields).kind == NEWS_ITEM
    with pytest.raises(TypeError):
        NewsItemPage(**fields, kind=TAG_LIST)  # its kind is fixed


@pytest.mark.parametrize(("page", "src", "name"), [
    ("news/x/", "../../media/a.jpg", "a.jpg"),
    ("en/news/x/", "../../../media/sub/b%20c.png", "sub/b c.png"),
    ("", "media/a.jpg", "a.jpg"),
    ("about/", "../media/a.jpg?v=1#top", "a.jpg"),
    ("news/x/", "../../assets/a.jpg", None),
    ("news/x/", "https://example.org/media/a.jpg", None),
    ("news/x/", "//cdn.example.org/media/a.jpg", None),
    ("news/x/", "../../media/", None),
    ("news/x/", "../../../../../media/a.jpg", "a.jpg"),  # above the root stays at the root
])
def test_media_name_of_an_address_in_a_page(page, src, name):
    assert urls.media_name(page, src) == name
