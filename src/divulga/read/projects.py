"""Reading project sheets: ``content/projects/<id>.yaml``.

One sheet per project, written once for all languages: texts are "localized"
(a plain string, or ``{it: ..., en: ...}`` with the default language
required), facts are written once. Fields follow what the EU's own databases
publish (keep.eu, CORDIS, Kohesio) and what CPR 2021/1060 Art. 50 asks a
beneficiary's website to show. Money is checked and completed here: any two
of total, EU contribution and co-funding rate give the third.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import list_currencies

from divulga.read.model import Budget, Contact, Localized, Partner, Project, Tag
from divulga.read.html_safety import scan
from divulga.problems import WARNING, Problem
from divulga.settings import Settings
from divulga.read.sources import SiteFiles
from divulga.text import is_slug, parse_date, slugify
from divulga.read.yamlsource import YamlDocument, parse_mapping

PROJECTS_DIR = "projects"
FIELDS = ("acronym", "title", "programme", "fund", "start", "end", "budget", "funding_statement",
          "grant_agreement", "summary", "objectives", "activities", "results", "partners",
          "website", "contact", "tags")
REQUIRED = ("acronym", "title", "programme", "summary")
BUDGET_FIELDS = ("currency", "total", "eu_contribution", "cofunding_rate")
PARTNER_FIELDS = ("name", "country", "role", "url")
ROLES = ("lead", "partner", "associated")
STATEMENTS = ("co-funded", "funded")
RATE_TOLERANCE = Decimal("0.1")
MAX_AMOUNT = Decimal(10) ** 13  # ten thousand billion
URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


def _countries() -> frozenset[str]:
    return frozenset(code for code in Locale.parse("en").territories if re.fullmatch(r"[A-Z]{2}", code))


def project_ids(settings: Settings) -> frozenset[str] | None:
    """Ids of the sheets present, or None when the site has no projects folder."""
    folder = settings.content_dir / PROJECTS_DIR
    if not folder.is_dir():
        return None
    entries, _ = SiteFiles(settings.root).entries(folder)
    return frozenset(entry.path.stem for entry in entries if not entry.is_dir and entry.path.suffix == ".yaml")


def load_projects(settings: Settings, tags: dict[str, Tag] | None) -> tuple[dict[str, Project], list[Problem]]:
    folder = settings.content_dir / PROJECTS_DIR
    problems: list[Problem] = []
    projects: dict[str, Project] = {}
    if not folder.is_dir():
        return projects, problems
    files = SiteFiles(settings.root)
    entries, problems = files.entries(folder)
    for entry in entries:
        path = entry.path
        rel = settings.relative(path)
        if entry.is_dir or path.suffix != ".yaml":
            hint = f" (rename it {path.stem}.yaml)" if path.suffix == ".yml" else ""
            problems.append(Problem(rel, None, "file", f"not a project sheet: sheets are <id>.yaml files{hint}"))
            continue
        project = _SheetReader(path, rel, settings, tags, problems, files, entry.size).read()
        if project is not None:
            projects[project.id] = project
    return projects, problems


class _SheetReader:
    """Validates one sheet, recording every problem with its line."""

    def __init__(self, path: Path, rel: str, settings: Settings, tags: dict[str, Tag] | None,
                 problems: list[Problem], files: SiteFiles, size: int):
        self.path, self.rel, self.settings, self.tags = path, rel, settings, tags
        self.problems = problems
        self.files, self.size = files, size
        self.doc: YamlDocument | None = None
        self.ok = True

    def problem(self, field: str, message: str, *path: Any) -> None:
        """Record a problem at the line of ``path`` (keys and list indexes)."""
        self.problems.append(Problem(self.rel, self.doc.line(*path), field, message))
        self.ok = False

    def given(self, key: str) -> bool:
        return self.doc.data.get(key) not in (None, "")

    # -- the sheet -----------------------------------------------------------

    def read(self) -> Project | None:
        project_id = self.path.stem
        if not is_slug(project_id):
            self.problems.append(Problem(self.rel, None, "file",
                                         f"'{project_id}' is not a valid id (lowercase letters, digits, "
                                         f"hyphens): rename the file {slugify(project_id) or 'project'}.yaml"))
            self.ok = False
        text, read_problems = self.files.read_text(self.path, size=self.size)
        self.problems.extend(read_problems)
        if text is None:
            return None
        self.doc, yaml_problems = parse_mapping(text, path=self.rel, what="project sheet")
        self.problems.extend(yaml_problems)
        if self.doc is None:
            return None
        self.ok &= not yaml_problems
        data = self.doc.data

        for key in data:
            if key not in FIELDS:
                close = difflib.get_close_matches(str(key), FIELDS, n=1)
                hint = f"did you mean `{close[0]}`? " if close else ""
                self.problem(str(key), f"unknown field; {hint}known fields: {', '.join(FIELDS)}", key)
        for key in REQUIRED:
            if not self.given(key) and key not in self.doc.unreadable:
                self.problem(key, f"required: {_REQUIRED_HINT[key]}", key)

        acronym = self.plain_text("acronym", data["acronym"], ("acronym",)) if self.given("acronym") else None
        title, programme, summary = (
            self.localized(key, data[key], (key,)) if self.given(key) else None
            for key in ("title", "programme", "summary"))
        fund = self.plain_text("fund", data["fund"], ("fund",)) if self.given("fund") else None
        start = self.date("start")
        end = self.date("end")
        if start and end and end < start:
            self.problem("end", f"{end.isoformat()} is before start ({start.isoformat()})", "end")
        budget = self.budget(data.get("budget")) if data.get("budget") is not None else None
        statement = self.statement(data.get("funding_statement"), budget)
        grant = None
        if data.get("grant_agreement") is not None:
            value = data["grant_agreement"]
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                self.problem("grant_agreement", 'write the number in quotes, e.g. "101000000"', "grant_agreement")
            else:
                grant = str(value).strip()
        lists = {name: self.localized_list(name, data.get(name)) for name in ("objectives", "activities", "results")}
        self.markdown_safety("summary", summary, ("summary",))
        for name, items in lists.items():
            for index, item in enumerate(items):
                self.markdown_safety(f"{name}[{index + 1}]", item, (name, index))
        partners = self.partners(data.get("partners"))
        website = self.url("website", data.get("website"), ("website",))
        contact = self.contact(data.get("contact"))
        tags = self.tag_keys(data.get("tags"))

        if not self.ok:
            return None
        return Project(
            id=project_id, source=self.rel, acronym=acronym, title=title, programme=programme,
            summary=summary, funding_statement=statement, fund=fund, start=start, end=end,
            budget=budget, grant_agreement=grant, partners=partners, website=website,
            contact=contact, tags=tags, **lists,
        )

    # -- value readers -------------------------------------------------------

    def plain_text(self, field: str, value: Any, path: tuple) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
            self.problem(field, "must be some text", *path)
            return None
        return str(value).strip()

    def localized(self, field: str, value: Any, path: tuple) -> Localized | None:
        codes = self.settings.codes
        default = self.settings.default_language.code
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value).strip()
            if not text:
                self.problem(field, "must not be empty", *path)
                return None
            return Localized({code: text for code in codes})
        if isinstance(value, dict):
            values = {}
            for code, text in value.items():
                where = f"{field}.{code}"
                if code not in codes:
                    self.problem(where, f"language '{code}' is not configured (configured: {', '.join(codes)})",
                                 *path, code)
                elif not isinstance(text, str) or not text.strip():
                    if text is not None:
                        self.problem(where, "must be some text", *path, code)
                else:
                    values[code] = text.strip()
            if default not in values:
                self.problem(field, f"the default language ({default}) is required; other languages "
                                    "fall back to it", *path)
                return None
            return Localized(values)
        self.problem(field, "write a text, or one text per language: {" +
                     ", ".join(f"{c}: ..." for c in codes) + "}", *path)
        return None

    def markdown_safety(self, field: str, value: Localized | None, path: tuple) -> None:
        """Links with a script scheme and images from other sites, in a Markdown text."""
        if value is None:
            return
        for code, text in value.values.items():
            for finding in scan(text, 1, raw_html=False):
                where = path + (code,) if isinstance(self.doc.data.get(path[0]), (dict, list)) else path
                self.problem(field, finding.message, *where)

    def localized_list(self, field: str, value: Any) -> tuple[Localized, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(field, "write a list: one `- ` line per entry", field)
            return ()
        items = []
        for index, entry in enumerate(value):
            item = self.localized(f"{field}[{index + 1}]", entry, (field, index))
            if item is not None:
                items.append(item)
        return tuple(items)

    def date(self, field: str):
        if self.doc.data.get(field) is None:
            return None
        value = parse_date(self.doc.data[field])
        if value is None:
            self.problem(field, f"'{self.doc.data[field]}' is not a date: write it as YYYY-MM-DD, e.g. 2016-11-01",
                         field)
        return value

    def amount(self, field: str, value: Any) -> Decimal | None:
        where = f"budget.{field}"
        if isinstance(value, str):
            digits = re.sub(r"[^\d]", "", value)
            example = f", e.g. {digits}" if digits else ""
            self.problem(where, f"'{value}' is text: write a number without thousands separators "
                                f"or currency{example}", "budget", field)
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(where, "must be a number", "budget", field)
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.problem(where, "must be a number", "budget", field)
            return None
        if not number.is_finite():
            self.problem(where, f"'{value}' is not an amount: write a number, e.g. 1929500", "budget", field)
            return None
        if number >= MAX_AMOUNT:
            self.problem(where, f"{number:,.0f} is more than any project's budget: check the digits",
                         "budget", field)
            return None
        if number < 0:
            self.problem(where, "must not be negative", "budget", field)
            return None
        return number

    def budget(self, value: Any) -> Budget | None:
        if not isinstance(value, dict):
            self.problem("budget", "write the amounts under budget: (total, eu_contribution, cofunding_rate)",
                         "budget")
            return None
        for key in value:
            if key not in BUDGET_FIELDS:
                self.problem(f"budget.{key}", f"unknown field; known: {', '.join(BUDGET_FIELDS)}", "budget", key)
        currency = value.get("currency", "EUR")
        if not isinstance(currency, str) or currency.upper() not in list_currencies():
            self.problem("budget.currency", f"unknown currency '{currency}': use an ISO 4217 code such as EUR",
                         "budget", "currency")
            currency = None
        else:
            currency = currency.upper()
        amounts = {key: self.amount(key, value[key]) for key in BUDGET_FIELDS[1:] if value.get(key) is not None}
        if any(v is None for v in amounts.values()) or currency is None:
            return None
        total, eu, rate = (amounts.get(k) for k in BUDGET_FIELDS[1:])
        if total is not None and total == 0:
            self.problem("budget.total", "must be more than 0", "budget", "total")
            return None
        if rate is not None and rate > 100:
            self.problem("budget.cofunding_rate", f"{rate}% is more than 100%", "budget", "cofunding_rate")
            return None
        given = sum(x is not None for x in (total, eu, rate))
        if given < 2:
            self.problem("budget", "give at least two of total, eu_contribution and cofunding_rate", "budget")
            return None
        if total is not None and eu is not None:
            if eu > total:
                self.problem("budget.eu_contribution", f"{eu} is more than the total ({total})",
                             "budget", "eu_contribution")
                return None
            computed = eu / total * 100
            if rate is not None and abs(computed - rate) > RATE_TOLERANCE:
                self.problem("budget.cofunding_rate",
                             f"{rate}% does not match eu_contribution / total = {computed:.2f}%: "
                             "correct one of them, or leave the rate out", "budget", "cofunding_rate")
                return None
            rate = rate if rate is not None else computed
        elif total is not None:
            eu = (total * rate / 100).quantize(Decimal("0.01"))
        else:
            if rate == 0:
                self.problem("budget.cofunding_rate", "a rate of 0% cannot give the total: write the total",
                             "budget", "cofunding_rate")
                return None
            total = (eu * 100 / rate).quantize(Decimal("0.01"))
        return Budget(currency=currency, total=total, eu_contribution=eu, cofunding_rate=rate)

    def statement(self, value: Any, budget: Budget | None) -> str:
        if value is None:
            return "funded" if budget is not None and budget.cofunding_rate == 100 else "co-funded"
        if value not in STATEMENTS:
            self.problem("funding_statement", f"write {' or '.join(STATEMENTS)}", "funding_statement")
            return "co-funded"
        return value

    def url(self, field: str, value: Any, path: tuple) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not URL.fullmatch(value.strip()):
            self.problem(field, "write a full web address starting with https://", *path)
            return None
        return value.strip()

    def partners(self, value: Any) -> tuple[Partner, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("partners", "write a list: one `- name: ...` block per partner", "partners")
            return ()
        countries = _countries()
        partners = []
        for index, entry in enumerate(value):
            where = f"partners[{index + 1}]"
            if not isinstance(entry, dict):
                self.problem(where, "write name:, country: and role: for each partner", "partners", index)
                continue
            for key in entry:
                if key not in PARTNER_FIELDS:
                    self.problem(f"{where}.{key}", f"unknown field; known: {', '.join(PARTNER_FIELDS)}",
                                 "partners", index, key)
            name = (self.localized(f"{where}.name", entry["name"], ("partners", index, "name"))
                    if entry.get("name") is not None else None)
            if entry.get("name") is None:
                self.problem(f"{where}.name", "required", "partners", index)
            country = entry.get("country")
            if not isinstance(country, str) or country.upper() not in countries:
                shown = "missing" if country is None else f"unknown country code '{country}'"
                self.problem(f"{where}.country", f"{shown}: use the ISO 3166-1 two-letter code, e.g. IT, FR, CH",
                             "partners", index, "country")
                country = None
            role = entry.get("role", "partner")
            if role not in ROLES:
                self.problem(f"{where}.role", f"unknown role '{role}': use {', '.join(ROLES)}",
                             "partners", index, "role")
            url = self.url(f"{where}.url", entry.get("url"), ("partners", index, "url"))
            if name is not None and country is not None and role in ROLES:
                partners.append(Partner(name=name, country=country.upper(), role=role, url=url))
        return tuple(partners)

    def contact(self, value: Any) -> Contact | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem("contact", "write name: and email:", "contact")
            return None
        email = value.get("email")
        if email is not None and (not isinstance(email, str) or not EMAIL.fullmatch(email.strip())):
            self.problem("contact.email", f"'{email}' is not an e-mail address", "contact", "email")
            return None
        name = value.get("name")
        return Contact(name=str(name).strip() if name else None, email=email.strip() if email else None)

    def tag_keys(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem("tags", "write a list of keys, e.g. tags: [first, second]", "tags")
            return ()
        keys: list[str] = []
        for index, key in enumerate(value):
            if key in keys:
                self.problems.append(Problem(self.rel, self.doc.line("tags", index), "tags",
                                             f"'{key}' is listed twice: it counts once; delete one", WARNING))
                continue
            keys.append(key)
            if self.tags is None:
                self.ok = False  # the tag list cannot be read: reported there
            elif key not in self.tags:
                close = difflib.get_close_matches(key, list(self.tags), n=1)
                hint = f"did you mean `{close[0]}`? " if close else ""
                self.problem("tags", f"unknown tag '{key}'; {hint}known tags: {', '.join(sorted(self.tags))}",
                             "tags", index)
        return tuple(keys)


_REQUIRED_HINT = {
    "acronym": "the project's short name, e.g. acronym: S3-4AlpClusters",
    "title": "the project's full title, e.g. title: {it: ..., en: ...}",
    "programme": "the funding programme, e.g. programme: Interreg Alpine Space 2014-2020",
    "summary": "a short description of the project, e.g. summary: {it: ..., en: ...}",
}
