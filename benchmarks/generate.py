"""Write a synthetic but realistic Divulga site for benchmarks.

N news items in every configured language (bodies of about 400 words with
headings, lists, links and emphasis; tags; projects), some untranslated, some
with a draft translation, one event per ten news items (some all day, some
with times, in person, online or mixed), one result per ten news items with
small real PDFs (their text goes to the search), plus 20 project sheets — all in the content
contract, so the real loader, plan, templates and Pagefind do the real work.
Deterministic: the same N and languages give the same site.

The languages are those of the repository's mkdocs.yml (it, en) unless
``--languages`` names others (codes, the first being the default) or a
count: the first of it, en, fr, de, sl (an Interreg programme's site in
five languages). Every language gets its own news texts, with words of its
own; the example's texts per language (tagline, tag labels, docs pages)
stay in it and en, and the other languages fall back to the default one,
as static-i18n and Divulga do on a real site (Divulga's interface strings
for fr, de and sl are English but for the EU funding statement).

    python benchmarks/generate.py --news 1000 --out /tmp/bench-1000
    python benchmarks/generate.py --news 2000 --languages 5 --out /tmp/bench-2000x5
    cd /tmp/bench-1000 && NO_MKDOCS_2_WARNING=1 mkdocs build --strict
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RESULT_TYPES = ("report", "guide", "toolkit", "policy_brief", "training_material", "dataset")

from pdfs import write_pdf

from divulga.config_file import read_config


def load_mkdocs_yml(path: Path) -> dict:
    """mkdocs.yml as a dict, MkDocs tags read as unset (!ENV without the variable)."""
    return read_config(path, environ={})

PROJECTS = 20
CITY = {"it": "Torino", "fr": "Turin", "de": "Turin", "sl": "Torino"}  # "Turin" in the others
# The languages ``--languages <count>`` takes, in this order (the first is the default).
LANGUAGES = ("it", "en", "fr", "de", "sl")
LANGUAGE_NAMES = {"it": "Italiano", "en": "English", "fr": "Français", "de": "Deutsch", "sl": "Slovenščina"}
TAGS = ["benchmarking", "training", "internationalisation", "mediterranean", "cluster-management",
        "certification", "networking", "smart-specialisation"]
# Syllables that make words looking like each language.
SYLLABLES = {
    "it": ["ca", "ri", "zio", "ne", "to", "la", "men", "te", "pro", "get", "ti", "clu", "ster", "for",
           "ma", "do", "re", "gio", "na", "li", "co", "mu", "ni", "tà", "svi", "lup", "po", "in", "no"],
    "en": ["clus", "ter", "de", "vel", "op", "ment", "re", "gion", "al", "in", "no", "va", "tion",
           "pro", "ject", "work", "shop", "net", "train", "ing", "mar", "ket", "pol", "i", "cy", "ers"],
    "fr": ["dé", "ve", "lop", "pe", "ment", "ré", "gion", "al", "coo", "pé", "ra", "tion", "pro", "jet",
           "tra", "vail", "for", "ma", "eu", "ro", "pé", "en", "ne", "qui", "té", "ai", "res", "ou"],
    "de": ["ent", "wick", "lung", "re", "gio", "nal", "zu", "sam", "men", "ar", "beit", "pro", "jekt",
           "aus", "bil", "dung", "eu", "ro", "pä", "isch", "ge", "schaft", "ver", "bund", "ung", "ter"],
    "sl": ["raz", "voj", "re", "gi", "on", "sko", "so", "de", "lo", "va", "nje", "pro", "jekt", "us",
           "po", "sab", "lja", "ev", "rop", "ski", "gos", "pod", "ar", "stvo", "mre", "ža", "ni", "čk"],
}
# Words are drawn from a fixed vocabulary per language with Zipf's law (the
# frequency of the k-th commonest word goes as 1/k), as in real text: a few
# words make up most of the running text, and the number of distinct words
# grows with the corpus (Heaps' law) rather than with every word written.
VOCABULARY = 30_000
_vocabularies: dict[str, tuple[list[str], list[float]]] = {}


def vocabulary(lang: str) -> tuple[list[str], list[float]]:
    """The language's words, commonest first, and their cumulative Zipf weights."""
    if lang not in _vocabularies:
        rng = random.Random(lang)
        syllables = SYLLABLES.get(lang, SYLLABLES["en"])
        seen: dict[str, None] = {}
        while len(seen) < VOCABULARY:
            # short words are the common ones, as in real text
            rank = len(seen)
            length = 1 if rank < 20 else 2 if rank < 600 else 3 if rank < 10_000 else 4
            seen.setdefault("".join(rng.choice(syllables) for _ in range(length)))
        cumulative, total = [], 0.0
        for rank in range(1, VOCABULARY + 1):
            total += 1 / rank
            cumulative.append(total)
        _vocabularies[lang] = (list(seen), cumulative)
    return _vocabularies[lang]


def words(rng: random.Random, lang: str, count: int) -> list[str]:
    vocab, cumulative = vocabulary(lang)
    return rng.choices(vocab, cum_weights=cumulative, k=count)


def sentence(rng: random.Random, lang: str) -> str:
    text = " ".join(words(rng, lang, rng.randint(8, 18)))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, lang: str) -> str:
    """About 400 words: paragraphs, two headings, a list, a link, emphasis."""
    parts = []
    for section in range(3):
        if section:
            parts.append("## " + " ".join(words(rng, lang, 3)).capitalize())
        paragraph = " ".join(sentence(rng, lang) for _ in range(rng.randint(4, 6)))
        first, rest = paragraph.split(" ", 1)
        parts.append(f"{first} **{words(rng, lang, 1)[0]}** {rest} "
                     f"[{' '.join(words(rng, lang, 2))}](https://example.org/{rng.randint(1, 999)}) "
                     f"*{' '.join(words(rng, lang, 2))}*.")
        if section == 1:
            parts.append("\n".join(f"- {sentence(rng, lang)}" for _ in range(4)))
    return "\n\n".join(parts) + "\n"


def front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n"


def project_sheet(n: int, rng: random.Random, codes: list[str]) -> str:
    start = dt.date(2014 + n % 10, 1 + n % 12, 1)
    total = rng.randint(5, 90) * 100_000
    sheet = {
        "acronym": f"PRJ{n:02d}",
        "title": {code: sentence(rng, code)[:60].rstrip(".") for code in codes},
        "programme": {code: f"Interreg {words(rng, code, 1)[0].capitalize()} 2014-2020" for code in codes},
        "fund": "ERDF",
        "start": start,
        "end": start + dt.timedelta(days=365 * 3 - 1),
        "budget": {"total": total, "eu_contribution": int(total * 0.85)},
        "summary": {code: " ".join(sentence(rng, code) for _ in range(3)) for code in codes},
        "objectives": [{code: sentence(rng, code) for code in codes} for _ in range(3)],
        "results": [{code: sentence(rng, code) for code in codes} for _ in range(2)],
        "partners": [{"name": f"Partner {k}", "country": rng.choice(["IT", "FR", "CH", "AT", "DE", "SI"]),
                      "role": "lead" if k == 0 else "partner"} for k in range(4)],
        "tags": rng.sample(TAGS, 2),
    }
    return yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False)


def _with_preview_language(config: dict) -> str:
    """mkdocs.yml text keeping the example's `build_only_locale: !ENV
    DIVULGA_PREVIEW_LANGUAGE` (read as unset, it would be dumped as null)."""
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    i18n["build_only_locale"] = "@PREVIEW@"
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    return text.replace("'@PREVIEW@'", "!ENV DIVULGA_PREVIEW_LANGUAGE").replace(
        "@PREVIEW@", "!ENV DIVULGA_PREVIEW_LANGUAGE")


def language_codes(languages: int | str | list[str] | tuple[str, ...] | None) -> list[str] | None:
    """The language codes ``--languages`` gives: None (the example's), a count
    (the first of LANGUAGES), or codes ("it,en,fr" or a list)."""
    if languages is None or languages == "":
        return None
    if isinstance(languages, str):
        languages = int(languages) if languages.isdigit() else [c.strip() for c in languages.split(",") if c.strip()]
    if isinstance(languages, int):
        if not 1 <= languages <= len(LANGUAGES):
            raise ValueError(f"between 1 and {len(LANGUAGES)} languages ({', '.join(LANGUAGES)})")
        return list(LANGUAGES[:languages])
    if not languages or len(set(languages)) != len(languages):
        raise ValueError(f"languages: {languages}")
    return list(languages)


def _set_languages(i18n: dict, codes: list[str]) -> None:
    """static-i18n's language blocks for ``codes``, the first the default."""
    existing = {block["locale"]: block for block in i18n["languages"]}
    blocks = []
    for index, code in enumerate(codes):
        block = dict(existing.get(code) or {"locale": code, "name": LANGUAGE_NAMES.get(code, code), "build": True})
        block.pop("default", None)
        if index == 0:
            block = {"locale": code, "name": block["name"], "default": True,
                     **{k: v for k, v in block.items() if k not in ("locale", "name")}}
        blocks.append(block)
    i18n["languages"] = blocks


def _keep_languages(options: dict, example: set[str], codes: set[str]) -> None:
    """Drop, from the example's texts given per language (tagline, description,
    the funding programme, locales), the languages the site does not have:
    Divulga refuses a text in a language the site lacks."""
    for key, value in list(options.items()):
        if isinstance(value, dict) and value and set(value) <= example:
            options[key] = {code: text for code, text in value.items() if code in codes}
            if not options[key]:
                del options[key]
        elif isinstance(value, dict):
            _keep_languages(value, example, codes)


def generate(out: Path, news: int, seed: int = 1, languages: int | str | list[str] | None = None) -> Path:
    """Write the site into ``out`` (emptied first); return its mkdocs.yml.
    ``languages``: see language_codes (None: the example's, it and en)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "news").mkdir(parents=True)
    (out / "content" / "projects").mkdir()
    (out / "content" / "events").mkdir()
    (out / "content" / "results").mkdir()
    (out / "content" / "media").mkdir()
    shutil.copytree(ROOT / "docs", out / "docs")
    shutil.copy(ROOT / "content" / "tags.yaml", out / "content" / "tags.yaml")

    config = load_mkdocs_yml(ROOT / "mkdocs.yml")
    config["hooks"] = [str(ROOT / "hooks" / "mkdocs_hooks.py")]
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    wanted = language_codes(languages)
    if wanted is not None and wanted != [block["locale"] for block in i18n["languages"]]:
        example = {block["locale"] for block in i18n["languages"]}
        _set_languages(i18n, wanted)
        _keep_languages(config["extra"]["divulga"], example, set(wanted))
        for code in example - set(wanted):  # the example's pages in a language the site lacks
            for page in (out / "docs").glob(f"*.{code}.md"):
                page.unlink()
        tags = yaml.safe_load((out / "content" / "tags.yaml").read_text(encoding="utf-8"))
        _keep_languages(tags, example, set(wanted))
        for tag in tags["tags"]:
            _keep_languages(tag, example, set(wanted))
        (out / "content" / "tags.yaml").write_text(yaml.safe_dump(tags, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")
    codes = [lang["locale"] for lang in i18n["languages"]]
    config_file = out / "mkdocs.yml"
    config_file.write_text(_with_preview_language(config), encoding="utf-8")

    for n in range(PROJECTS):
        (out / "content" / "projects" / f"prj-{n:02d}.yaml").write_text(
            project_sheet(n, rng, codes), encoding="utf-8")

    day = dt.date(2026, 6, 30)
    for n in range(news):
        day -= dt.timedelta(days=rng.choice([0, 1, 1, 2, 3]))
        slug = f"{day.isoformat()}-item-{n:05d}"
        shared = {"date": day, "tags": rng.sample(TAGS, rng.randint(1, 3)),
                  "projects": [f"prj-{rng.randrange(PROJECTS):02d}"]}
        roll = rng.random()
        languages = codes[:1] if roll < 0.10 else codes  # 10 % untranslated
        for index, code in enumerate(languages):
            data = {"title": sentence(rng, code)[:70].rstrip("."), **(shared if index == 0 else {}),
                    "summary": sentence(rng, code)}
            if index and roll > 0.95:  # 5 % with a draft translation
                data["draft"] = True
            (out / "content" / "news" / f"{slug}.{code}.md").write_text(
                front(data) + body(rng, code), encoding="utf-8")
    for n in range(news // 10):
        write_event(out / "content" / "events", n, rng, codes)
    for n in range(news // 10):
        write_result(out / "content", n, rng, codes)
    return config_file


def write_result(content: Path, n: int, rng: random.Random, codes: list[str]) -> None:
    """A result in every language, with a two-page PDF in the default language
    and, for half of them, one in the second language too."""
    day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(10 * 365))
    slug = f"{day.isoformat()}-result-{n:05d}"
    files = []
    for code in codes[: 1 if rng.random() < 0.5 else 2]:
        name = f"{slug}-{code}.pdf"
        write_pdf(content / "media" / name, title=sentence(rng, code)[:60], lang=code,
                  paragraphs=[" ".join(sentence(rng, code) for _ in range(12)) for _ in range(4)])
        files.append({"file": name, "lang": code})
    shared = {"date": day, "type": rng.choice(RESULT_TYPES), "files": files, "licence": "CC-BY-4.0",
              "tags": rng.sample(TAGS, rng.randint(1, 2)), "projects": [f"prj-{rng.randrange(PROJECTS):02d}"]}
    for index, code in enumerate(codes):
        data = {"title": sentence(rng, code)[:70].rstrip("."), **(shared if index == 0 else {}),
                "summary": sentence(rng, code)}
        (content / "results" / f"{slug}.{code}.md").write_text(front(data) + body(rng, code), encoding="utf-8")


def write_event(folder: Path, n: int, rng: random.Random, codes: list[str]) -> None:
    """An event in every language, from 2019 to 2027: half all day (some over
    several days), half with times; in person, online or mixed."""
    day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
    attendance = rng.choice(["in_person", "in_person", "online", "mixed"])
    shared: dict = {"attendance": attendance, "tags": rng.sample(TAGS, rng.randint(1, 2)),
                    "projects": [f"prj-{rng.randrange(PROJECTS):02d}"]}
    if rng.random() < 0.5:
        shared["start"] = day
        if rng.random() < 0.4:
            shared["end"] = day + dt.timedelta(days=rng.randint(1, 3))
    else:
        hour = rng.randint(8, 15)
        shared["start"] = f"{day.isoformat()} {hour:02d}:30"
        shared["end"] = f"{day.isoformat()} {hour + 2:02d}:30"
    if attendance != "online":
        shared["venue"] = {"name": f"Sala {n}", "city": {code: CITY.get(code, "Turin") for code in codes},
                           "country": "IT"}
    if attendance != "in_person":
        shared["online_url"] = f"https://example.org/live/{n}"
    if rng.random() < 0.05:
        shared["status"] = "cancelled"
    slug = f"{day.isoformat()}-event-{n:05d}"
    for index, code in enumerate(codes):
        data = {"title": sentence(rng, code)[:70].rstrip("."), **(shared if index == 0 else {}),
                "summary": sentence(rng, code)}
        (folder / f"{slug}.{code}.md").write_text(front(data) + body(rng, code), encoding="utf-8")


def generate_floor(site: Path, out: Path) -> Path:
    """The floor for a generated site: what MkDocs itself costs for its pages.

    The same news, event and result bodies (with their titles as headings) as plain docs pages,
    built by mkdocs + mkdocs-material + mkdocs-static-i18n with the same theme
    settings, without our hooks and with the navigation limited to the home
    page. Returns its mkdocs.yml.
    """
    if out.exists():
        shutil.rmtree(out)
    # the open data page links files only Divulga writes
    shutil.copytree(site / "docs", out / "docs", ignore=shutil.ignore_patterns("open-data.*"))
    news_dir = out / "docs" / "news"
    news_dir.mkdir()
    for path in sorted(path for folder in ("news", "events", "results")
                       for path in (site / "content" / folder).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front, body = text.split("---\n", 2)[1:]
        title = yaml.safe_load(front)["title"]
        (news_dir / path.name).write_text(f"# {title}\n\n{body}", encoding="utf-8")
    config = load_mkdocs_yml(site / "mkdocs.yml")
    config.pop("hooks", None)
    config.pop("not_in_nav", None)
    config["theme"].pop("custom_dir", None)
    config["nav"] = ["index.md"]
    config_file = out / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=int, default=250, help="news items (each in every language)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the site into")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--languages", default=None,
                        help=f"a count (the first of {', '.join(LANGUAGES)}) or codes such as it,en,fr "
                             "(default: the example's mkdocs.yml, it and en)")
    args = parser.parse_args()
    config_file = generate(args.out, args.news, args.seed, args.languages)
    print(f"wrote {args.news} news items x languages and {PROJECTS} projects: {config_file}")


if __name__ == "__main__":
    main()
