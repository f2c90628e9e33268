"""Project sheets built end to end: figures, derived facts, chart, statement, links."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import build_fixture, epoch, news, site_config

def _logo() -> bytes:
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGBA", (300, 100), (0, 80, 160, 255)).save(out, "PNG")
    return out.getvalue()


ALP = """\
acronym: S3-4AlpClusters
title: {it: "Specializzazione intelligente nei cluster alpini", en: "Smart specialisation in Alpine clusters"}
programme: {it: Interreg Spazio Alpino 2014-2020, en: Interreg Alpine Space 2014-2020}
fund: ERDF
start: 2016-11-01
end: 2019-04-30
budget:
  currency: EUR
  total: 2521964
  eu_contribution: 1929500
summary: {it: "Il progetto *S3* per i cluster.", en: "The *S3* project for clusters."}
objectives:
  - {it: Primo obiettivo, en: First objective}
  - Same in every language
partners:
  - name: {it: Regione Piemonte, en: Piedmont Region}
    country: IT
    role: lead
  - name: Hochschule Luzern
    country: CH
    url: https://www.hslu.ch/
    logo: logos/hslu.png
tags: [training]
"""

HORIZON = """\
acronym: GREEN
title: {it: Progetto verde}
programme: Horizon Europe
fund: Horizon Europe
start: 2030-01-01
end: 2032-12-31
budget: {total: 1000000, cofunding_rate: 100}
grant_agreement: "101000000"
summary: Only one language here.
website: https://example.org/green
contact: {name: Project office, email: office@example.org}
"""

FILES = {
    "content/tags.yaml": "training: {it: Formazione, en: Training}\n",
    "content/projects/s3-4alpclusters.yaml": ALP,
    "content/projects/green.yaml": HORIZON,
    "content/media/logos/hslu.png": _logo(),
    "content/news/2017-06-12-alp.it.md": news("Chiuso il primo periodo", "2017-06-12", projects=["s3-4alpclusters"]),
    "content/news/2017-06-12-alp.en.md": news("Period one closed", None),
    "content/news/2018-01-01-alp2.it.md": news("Seconda notizia", "2018-01-01", projects=["s3-4alpclusters", "green"]),
}


def flat(text: str) -> str:
    """Text with non-breaking and narrow spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    config = site_config(extra={"funding": {"statement": "co-funded",
                                            "programme": {"it": "Programma FESR", "en": "ERDF Programme"}}})
    built = build_fixture(tmp_path_factory.mktemp("projects"), FILES, config=config, env=epoch("2018-03-01"))
    assert built.ok, built.output
    return built


def facts(site, url):
    """The sheet's facts: the key-figures band and the table, label -> value."""
    soup = site.soup(url)
    table = {tr.th.get_text(strip=True): flat(tr.td.get_text(strip=True))
             for tr in soup.select("table.divulga-facts tr")}
    band = {item.dt.get_text(strip=True): flat(item.dd.get_text(strip=True))
            for item in soup.select("dl.divulga-figures .divulga-figures__item")}
    assert not set(table) & set(band), "a figure shown twice"
    return {**table, **band}


def test_partner_logo_with_the_partners_name_as_alt(site, tmp_path):
    for url, lang in (("projects/s3-4alpclusters/", "it"), ("en/projects/s3-4alpclusters/", "en")):
        cell = site.soup(url).select("table.divulga-partners tbody tr")[1].td
        logo = cell.select_one("img.divulga-partner-logo")
        assert logo["alt"] == "Hochschule Luzern" and logo["width"] == "300" and logo["srcset"]
        assert "media/logos/hslu." in logo["src"]
    missing = build_fixture(tmp_path, {k: v for k, v in FILES.items() if not k.endswith("hslu.png")})
    assert not missing.ok
    assert "content/projects/s3-4alpclusters.yaml:22: partners[2].logo: image file not found: " \
           "content/media/logos/hslu.png" in missing.output, missing.output


def test_key_figures_band_above_the_table(site):
    soup = site.soup("en/projects/s3-4alpclusters/")
    band = soup.select_one("dl.divulga-figures")
    assert [dt.get_text() for dt in band.select("dt")] == [
        "Total budget", "EU contribution", "Co-funding rate", "Duration"]
    assert band.find_next("table") is soup.select_one("table.divulga-facts")
    headers = [th.get_text() for th in soup.select("table.divulga-partners thead th")]
    assert headers == ["Name", "Country", "Role"]


def test_figures_are_localized(site):
    it = facts(site, "projects/s3-4alpclusters/")
    assert it["Budget totale"] == "2.521.964 €"
    assert it["Contributo UE"] == "1.929.500 €"
    assert it["Tasso di cofinanziamento"] == "76,5%"
    assert it["Altro cofinanziamento"] == "592.464 €"
    assert it["Periodo"] == "1 novembre 2016 – 30 aprile 2019"
    assert it["Durata"] == "30 mesi"
    assert it["Fondo"] == "Fondo europeo di sviluppo regionale (FESR)"
    en = facts(site, "en/projects/s3-4alpclusters/")
    assert en["Total budget"] == "€2,521,964"
    assert en["EU contribution"] == "€1,929,500"
    assert en["Co-funding rate"] == "76.5%"
    assert en["Period"] == "1 November 2016 – 30 April 2019"
    assert en["Duration"] == "30 months"


def test_status_follows_the_build_date(site, tmp_path):
    assert facts(site, "en/projects/s3-4alpclusters/")["Status"] == "Ongoing"
    assert facts(site, "en/projects/green/")["Status"] == "Planned"
    later = build_fixture(tmp_path, FILES, env=epoch("2019-05-01"))
    assert later.ok, later.output
    assert facts(later, "projects/s3-4alpclusters/")["Stato"] == "Concluso"


def test_rate_derives_contribution_and_statement(site):
    green = facts(site, "en/projects/green/")
    assert green["EU contribution"] == "€1,000,000" and green["Co-funding rate"] == "100%"
    statement = site.soup("en/projects/green/").select_one(".divulga-project .divulga-eu__statement")
    assert statement.select_one(".divulga-eu__text").get_text() == "Funded by the European Union"
    assert statement.select_one(".divulga-eu__grant").get_text() == "Grant agreement No 101000000"
    it = site.soup("projects/s3-4alpclusters/").select_one(".divulga-project .divulga-eu")
    assert it.select_one(".divulga-eu__text").get_text() == "Cofinanziato dall'Unione europea"
    emblem = it.select_one("img.divulga-emblem")
    assert emblem["alt"] == "" and (emblem["width"], emblem["height"]) == ("60", "40")  # 3:2
    drawing = BeautifulSoup((site.site_dir / "assets/images/eu-emblem.svg").read_text(), "html.parser").svg
    assert drawing["viewbox"] == "0 0 810 540" and len(drawing.select("polygon")) == 12
    assert drawing.rect["fill"] == "#003399" and drawing.g["fill"] == "#FFCC00"


def test_budget_chart_has_a_text_alternative(site):
    chart = site.soup("projects/s3-4alpclusters/").select_one("figure.divulga-chart")
    svg = chart.svg
    assert svg["role"] == "img"
    assert svg.title.get_text() == "Ripartizione del budget"
    expected = ("1.929.500 € di contributo UE (76,5%) e 592.464 € di altro cofinanziamento, "
                "su un budget totale di 2.521.964 €.")
    assert flat(svg.desc.get_text()) == expected
    assert flat(chart.figcaption.get_text()) == expected
    assert float(svg.select_one(".divulga-chart__eu")["width"]) == pytest.approx(459.05, abs=0.06)


def test_partners_countries_and_roles(site):
    rows = [[flat(td.get_text(strip=True)) for td in tr.select("td")]
            for tr in site.soup("projects/s3-4alpclusters/").select("table.divulga-partners tbody tr")]
    assert rows == [["Regione Piemonte", "Italia", "Capofila"], ["Hochschule Luzern", "Svizzera", "Partner"]]
    rows_en = [[td.get_text(strip=True) for td in tr.select("td")]
               for tr in site.soup("en/projects/s3-4alpclusters/").select("table.divulga-partners tbody tr")]
    assert rows_en[1] == ["Hochschule Luzern", "Switzerland", "Partner"]
    assert rows_en[0] == ["Piedmont Region", "Italy", "Lead partner"]


def test_missing_translation_falls_back_with_lang(site):
    soup = site.soup("en/projects/green/")
    assert soup.select_one(".divulga-project h1").get_text() == "Progetto verde"
    assert soup.select_one(".divulga-project h1")["lang"] == "it"
    assert soup.html["lang"] == "en"


def test_markdown_and_lists(site):
    soup = site.soup("en/projects/s3-4alpclusters/")
    summary = soup.select_one("#divulga-summary").find_next("div")
    assert summary.em.get_text() == "S3"
    items = [li.get_text() for li in soup.select("section li")]
    assert "First objective" in items and "Same in every language" in items


def test_cross_links_between_news_and_projects(site):
    item = site.soup("en/news/2018-01-01-alp2/")
    links = [(a["href"], a.get_text()) for a in item.select(".divulga-related a")]
    assert links == [("../../projects/s3-4alpclusters/", "S3-4AlpClusters – Smart specialisation in Alpine clusters"),
                     ("../../projects/green/", "GREEN – Progetto verde")]
    project = site.soup("en/projects/s3-4alpclusters/")
    news_links = [a["href"] for a in project.select(".divulga-card__title a")]
    assert news_links == ["../../news/2018-01-01-alp2/", "../../news/2017-06-12-alp/"]


def test_projects_index_newest_first(site):
    cards = site.soup("projects/").select(".divulga-card")
    assert [c.select_one(".divulga-card__acronym").get_text() for c in cards] == ["GREEN", "S3-4AlpClusters"]
    alp = flat(cards[1].get_text(" ", strip=True))
    for expected in ("Interreg Spazio Alpino 2014-2020", "1 novembre 2016 – 30 aprile 2019", "In corso", "1.929.500 €"):
        assert expected in alp
    switcher = {a["hreflang"]: a["href"] for a in site.soup("en/projects/").select("a.md-select__link")}
    assert switcher == {"it": "../../projects/", "en": "./"}


def test_site_funding_in_every_footer(site):
    for url in ("", "about/", "news/", "en/news/2017-06-12-alp/", "en/projects/green/"):
        footer = site.soup(url).select_one("footer .divulga-funding")
        assert footer is not None, url
        assert footer.select_one("img.divulga-emblem") is not None
        text = footer.get_text(" ", strip=True)
        if url.startswith("en/"):
            assert "Co-funded by the European Union" in text and "ERDF Programme" in text
        else:
            assert "Cofinanziato dall'Unione europea" in text and "Programma FESR" in text


def test_text_from_yaml_is_escaped(tmp_path):
    sheet = ('acronym: "X&Y <b>"\ntitle: "Title <script>alert(1)</script> & \\"q\\""\n'
             'programme: "P <i>x</i>"\nsummary: "Raw <b>html</b> & [bad](relative) [ok](https://e.org)"\n'
             'partners:\n  - {name: "A <img src=x onerror=alert(1)>", country: FR}\n')
    built = build_fixture(tmp_path, {"content/projects/x.yaml": sheet})
    assert built.ok, built.output
    soup = built.soup("projects/x/")
    assert soup.select_one(".divulga-project h1").get_text() == 'Title <script>alert(1)</script> & "q"'
    assert soup.select_one(".divulga-project__acronym").get_text() == "X&Y <b>"
    summary = soup.select_one("#divulga-summary").find_next("div")
    assert summary.find("b") is None and "Raw <b>html</b> &" in summary.get_text()
    assert [a.get("href") for a in summary.find_all("a")] == ["relative", "https://e.org"]
    assert soup.find("img", onerror=True) is None and soup.find("script", string="alert(1)") is None
    index = built.soup("projects/")
    assert index.select_one(".divulga-card__name").get_text() == 'Title <script>alert(1)</script> & "q"'


def test_script_links_and_external_images_in_sheet_texts_are_errors(tmp_path):
    sheet = ('acronym: X\ntitle: T\nprogramme: P\n'
             'summary: "[bad](javascript:alert(1)) ![pixel](https://tracker.example/p.gif)"\n'
             'objectives:\n  - {it: "[x](data:text/html,hi)", en: "ok"}\n')
    built = build_fixture(tmp_path, {"content/projects/x.yaml": sheet})
    assert not built.ok
    assert "content/projects/x.yaml:4: summary: 'javascript:alert(1': links start with https://" in built.output
    assert "content/projects/x.yaml:4: summary: 'https://tracker.example/p.gif': images from other sites" \
        in built.output
    assert "content/projects/x.yaml:6: objectives[1]: 'data:text/html,hi': links start with" in built.output
    assert "Traceback" not in built.output


@pytest.mark.parametrize("lang, co_funded, funded", [
    ("fr", "Cofinancé par l'Union européenne", "Financé par l'Union européenne"),
    ("de", "Kofinanziert von der Europäischen Union", "Finanziert von der Europäischen Union"),
    ("es", "Cofinanciado por la Unión Europea", "Financiado por la Unión Europea"),
])
def test_statement_shipped_for_more_languages(tmp_path, lang, co_funded, funded):
    from divulga import Language, Settings
    from divulga.l10n import Localizer
    from divulga.plan.project_views import statement
    settings = Settings(root=tmp_path, languages=(Language("it", "it", True), Language(lang, lang)),
                        content_dir=tmp_path)
    l10n = Localizer(settings)
    assert statement(l10n, lang, "co-funded") == statement(l10n, lang, "co-funded")
    assert statement(l10n, lang, "co-funded").text == co_funded
    assert statement(l10n, lang, "funded").text == funded
    assert statement(l10n, lang, "funded").lang == lang


def test_a_sheet_shows_its_latest_items_and_links_to_all_of_them(tmp_path):
    """A project with many news items and results: the sheet stays bounded (the latest six of each) and
    links to the listings that have them all, in both languages."""
    files = {"content/projects/busy.yaml": "acronym: BUSY\ntitle: {it: Progetto, en: Project}\n"
                                           "programme: Interreg\nsummary: Un progetto.\n"}
    for n in range(1, 10):
        files[f"content/news/2024-01-{n:02d}-n{n}.it.md"] = news(f"Notizia {n}", f"2024-01-{n:02d}",
                                                                 projects=["busy"])
        files[f"content/news/2024-01-{n:02d}-n{n}.en.md"] = news(f"Item {n}", None)
        files[f"content/results/2024-02-{n:02d}-r{n}.it.md"] = (
            f'---\ntitle: Risultato {n}\ndate: 2024-02-{n:02d}\ntype: report\nprojects: [busy]\n'
            f'files:\n  - url: "https://example.org/r{n}"\n---\nTesto.\n')
    built = build_fixture(tmp_path, files)
    assert built.ok, built.output
    for prefix, news_word, more in (("", "Notizia", "Tutte le notizie sul progetto (9)"),
                                    ("en/", "Item", "All news about this project (9)")):
        sheet = BeautifulSoup((tmp_path / f"site/{prefix}projects/busy/index.html").read_text(encoding="utf-8"),
                              "html.parser")
        titles = [h.get_text(strip=True) for h in sheet.select("#divulga-project-news ~ ul .divulga-card__title, "
                                                               "section[aria-labelledby=divulga-project-news] h3")]
        assert titles == [f"{news_word} {n}" for n in range(9, 3, -1)]  # the latest six, newest first
        more_links = sheet.select("section[aria-labelledby=divulga-project-more] a")
        links = {a.get_text(strip=True): a["href"] for a in more_links}
        assert links[more] == "news/"
        assert links[next(label for label in links if label.endswith("(9)") and label != more)] == \
            "../../results/project/busy/"
        listing = BeautifulSoup((tmp_path / f"site/{prefix}projects/busy/news/index.html").read_text(encoding="utf-8"),
                                "html.parser")
        assert listing.find("h1").get_text(strip=True).endswith("BUSY")
        assert sum(news_word in h.get_text() for h in listing.select("h2, h3")) == 9
