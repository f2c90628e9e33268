"""The ``divulga`` command: start content files and check the site without building.

Communication officers run it; it speaks plainly, never prints a traceback
for a content or configuration mistake, and exits 0 (all good), 1 (something
to fix, in the content or in mkdocs.yml) or 2 (it could not run: no mkdocs.yml,
an unreadable one, no content folder). It reads mkdocs.yml itself
and never imports MkDocs, so it starts fast and works without a build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from divulga.config_file import ConfigError, SiteConfig, find_config, load_site_config
from divulga.editor.check import CheckResult, run_check
from divulga.editor.local import run_editor
from divulga.editor.scaffold import (
    TO_TRANSLATE,
    NewFile,
    plan_event,
    plan_news,
    plan_project,
    plan_result,
    write,
)
from divulga.editor.translated import record_translations
from divulga.plan.translations import TranslationReport
from divulga.problems import Problem
from divulga.read.model import RESULT_TYPES
from divulga.read.schema import Date
from divulga.runtime import collect_less, exit_without_collecting
from divulga.settings import Settings
from divulga.text import parse_date

OK, PROBLEMS, CANNOT_RUN = 0, 1, 2
PREVIEW = "NO_MKDOCS_2_WARNING=1 mkdocs serve"


class Style:
    """ANSI colours, only for a terminal (and never with NO_COLOR set)."""

    def __init__(self, stream: TextIO):
        self.enabled = (hasattr(stream, "isatty") and stream.isatty()
                        and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb")

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def red(self, text: str) -> str:
        return self._wrap("1;31", text)

    def yellow(self, text: str) -> str:
        return self._wrap("33", text)

    def green(self, text: str) -> str:
        return self._wrap("32", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _site(args: argparse.Namespace) -> SiteConfig:
    path = Path(args.config_file) if args.config_file else find_config(Path.cwd())
    if not path.is_file():
        raise ConfigError(f"{path}: file not found (give the site's mkdocs.yml with -f)")
    return load_site_config(path)


def _content_folder(site: SiteConfig) -> None:
    content = site.settings.content_dir
    if not content.is_dir():
        raise ConfigError(f"content folder not found: {content} (mkdocs.yml sets it with "
                          "extra.divulga.content_dir; the default is content/ next to mkdocs.yml)")


def _date(value: str) -> dt.date:
    date = parse_date(value)
    if date is None:
        raise argparse.ArgumentTypeError(Date(example="2024-05-06").message(value))
    return date


def _keys(values: list[str] | None) -> list[str]:
    """``--tags a,b --tags c`` -> [a, b, c]"""
    return [key.strip() for value in values or () for key in value.split(",") if key.strip()]


# -- divulga new -------------------------------------------------------------------

def _refuse(problems: list[Problem], out: TextIO, style: Style) -> int:
    for problem in problems:
        where = problem.path if problem.field == "file" else problem.field
        out.write(f"{style.red('divulga:')} {where}: {problem.message}\n")
    return PROBLEMS


def _content_settings(args: argparse.Namespace) -> Settings:
    """The site's settings, once its content folder is known to be there."""
    site = _site(args)
    _content_folder(site)
    return site.settings


def cmd_new_news(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = _content_settings(args)
    files, problems = plan_news(settings, args.title, args.date or settings.today,
                                _keys(args.tags), _keys(args.projects))
    return _new_versions(files, problems, settings, "Write the text", out, err)


def cmd_new_event(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = _content_settings(args)
    files, problems = plan_event(settings, args.title, args.start, args.end, args.online,
                                 _keys(args.tags), _keys(args.projects))
    where = "how to join (online_url:)" if args.online else "where (venue: name, city, country)"
    return _new_versions(files, problems, settings, f"Say {where}, then write the programme", out, err)


def cmd_new_result(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = _content_settings(args)
    files, problems = plan_result(settings, args.title, args.date or settings.today, args.type,
                                  list(args.file or ()), _keys(args.tags), _keys(args.projects))
    return _new_versions(files, problems, settings, "Say each document's language (lang: it, en…), then "
                         "write what the result is, who it is for and how to use it", out, err)


def cmd_translated(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings = _content_settings(args)
    done, problems = record_translations(settings, [Path(name) for name in args.files], args.source, args.lang)
    if problems:
        return _refuse(problems, err, Style(err))
    for path, source in done:
        out.write(f"{settings.relative(path)}: up to date with {source}\n")
    return 0


def _new_versions(files: list[NewFile], problems: list[Problem], settings: Settings, first_step: str,
                  out: TextIO, err: TextIO) -> int:
    """Write a new item's language versions (or refuse, with every problem)
    and say what to do next."""
    if problems:
        return _refuse(problems, err, Style(err))
    if _write(files, settings, err) is not None:
        return PROBLEMS
    _created(files, settings, out)
    original, translations = files[0], files[1:]
    default = settings.default_language
    steps = [f"{first_step} in {settings.relative(original.path)} (replace the line that starts "
             "with [DA COMPLETARE / [TO BE COMPLETED) and, if you like, a summary."]
    for new in translations:
        steps.append(f"Translate {settings.relative(new.path)}: the title (remove the "
                     f"{TO_TRANSLATE} mark) and the text, then delete the line `draft: true`. "
                     f"Until then its readers see the version in {default.name} ({default.code}).")
    steps += [f"Preview the site: {PREVIEW}", "Check everything: divulga check"]
    _steps(steps, out)
    return OK


def cmd_new_project(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    site = _site(args)
    _content_folder(site)
    settings = site.settings
    files, problems = plan_project(settings, args.acronym)
    if problems:
        return _refuse(problems, err, Style(err))
    if _write(files, settings, err) is not None:
        return PROBLEMS
    _created(files, settings, out)
    rel = settings.relative(files[0].path)
    project_id = files[0].path.stem
    _steps([f"Fill in title, programme and summary in {rel} (at least in "
            f"{settings.default_language.name}), then the optional fields you need.",
            "Check the sheet: divulga check (it lists the required fields still empty).",
            f"Name the project in news items with: projects: [{project_id}]",
            f"Preview the site: {PREVIEW}"], out)
    return OK


def _write(files: list[NewFile], settings: Settings, err: TextIO) -> int | None:
    """Write the files; PROBLEMS if one appeared meanwhile (never overwritten)."""
    try:
        write(files)
    except FileExistsError as exc:
        return _refuse([Problem(settings.relative(Path(exc.filename)), None, "file",
                                "already exists: not overwritten")], err, Style(err))
    return None


def _created(files: list[NewFile], settings: Settings, out: TextIO) -> None:
    style = Style(out)
    out.write(style.bold("Created:") + "\n")
    for new in files:
        out.write(f"  {style.green(settings.relative(new.path))}  ({new.note})\n")


def _steps(steps: list[str], out: TextIO) -> None:
    out.write("\n" + Style(out).bold("Next steps:") + "\n")
    for number, step in enumerate(steps, 1):
        out.write(f"  {number}. {step}\n")


# -- divulga check ----------------------------------------------------------------

def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        site = _site(args)
    except ConfigError as exc:
        if not exc.problems:  # no mkdocs.yml, or it cannot be read: nothing to check
            raise
        _config_report(exc.problems, args, out)
        return PROBLEMS
    _content_folder(site)
    result = run_check(site)
    if args.format == "json":
        json.dump(as_json(result), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        print_report(result, site, out)
    return PROBLEMS if result.errors else OK


def _problem_json(problem: Problem) -> dict:
    return {"path": problem.path, "line": problem.line or 1, "field": problem.field,
            "message": problem.message, "severity": problem.severity}


def as_json(result: CheckResult) -> dict:
    return {
        "errors": [_problem_json(p) for p in result.errors],
        "warnings": [_problem_json(p) for p in result.warnings],
        "translations": result.translations.as_dict(),
        "counts": {"errors": len(result.errors), "warnings": len(result.warnings),
                   "translations": result.translations.count},
        "checked": result.checked,
    }


def _config_report(problems: list[Problem], args: argparse.Namespace, out: TextIO) -> None:
    """The configuration's mistakes, as the report lists the content's; the
    content is checked once the configuration can be read."""
    if args.format == "json":
        result = CheckResult(problems, TranslationReport(()), dict.fromkeys(
            ("news_files", "event_files", "result_files", "project_sheets", "pages", "media_files"), 0))
        json.dump(as_json(result), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    style = Style(out)
    out.write(style.bold("Checking the configuration") + ": the content is checked once it is right.\n")
    out.write("\n" + style.red(f"Errors ({len(problems)})") + "\n")
    for problem in problems:
        out.write(f"{problem}\n")
    out.write("\nThe site cannot be built until the errors are fixed.\n")
    out.write(style.red(f"{_plural(len(problems), 'error')}, 0 warnings") + "\n")


def print_report(result: CheckResult, site: SiteConfig, out: TextIO) -> None:
    style = Style(out)
    settings = site.settings
    languages = ", ".join(f"{lang.code}{' (default)' if lang.default else ''}" for lang in settings.languages)
    checked = result.checked
    try:
        config = os.path.relpath(site.path)
    except ValueError:  # another drive (Windows)
        config = str(site.path)
    name = settings.site_name or settings.root.name
    out.write(style.bold(f"Checking \"{name}\"") + f" ({config}), languages: {languages}\n")
    out.write(style.dim(f"Read {_plural(checked['news_files'], 'news file')}, "
                        f"{_plural(checked['event_files'], 'event file')}, "
                        f"{_plural(checked.get('result_files', 0), 'result file')}, "
                        f"{_plural(checked['project_sheets'], 'project sheet')}, "
                        f"{_plural(checked['pages'], 'page')} and "
                        f"{_plural(checked['media_files'], 'media file')}.") + "\n")

    for title, problems, colour in (("Errors", result.errors, style.red),
                                    ("Warnings", result.warnings, style.yellow)):
        if problems:
            out.write("\n" + colour(f"{title} ({len(problems)})") + "\n")
            for problem in problems:
                out.write(f"{problem}\n")

    report = result.translations
    if report.count:
        default = settings.default_language.code
        out.write("\n" + style.bold(f"Translations to do ({report.count})") + "\n")
        for item in report.missing_news:
            codes = ", ".join(item.missing)
            seen = f": readers of {codes} see this one" if item.published else ""
            out.write(f"{item.path}:1: translation: no {codes} version yet{seen}\n")
        for draft in report.drafts:
            todo = "delete `draft: true` when it is ready" if draft.lang == default else \
                "translate it, then delete `draft: true`"
            out.write(f"{draft.path}:{draft.line}: draft: the {draft.lang} version is a draft, not "
                      f"published yet: {todo}\n")
        for field in report.missing_project_fields:
            codes = ", ".join(field.missing)
            out.write(f"{field.path}:{field.line}: {field.field}: no {codes} text: readers of "
                      f"{codes} see the {default} text\n")
        for version in report.outdated:
            when = f" (on {version.source_date}; this one last on {version.date})" if version.source_date else ""
            what = f"its {version.source_lang} texts" if version.kind == "project" else version.source
            out.write(f"{version.path}:{version.line}: translation: outdated ({version.lang}): {what} changed{when} "
                      f"since this translation was made; update it, then run `{version.command}`\n")
    if report.unknown:
        out.write("\n" + style.dim(f"{_plural(len(report.unknown), 'translation')} do not say what they were "
                                    "translated from, so whether they are up to date is not known: "
                                    "`divulga translated <file>` records it") + "\n")

    out.write("\n")
    errors, warnings = len(result.errors), len(result.warnings)
    if errors:
        out.write("The site cannot be built until the errors are fixed.\n")
    elif warnings:
        out.write("The site can be built; the warnings are worth a look.\n")
    if not errors and not warnings:
        out.write(style.green("No problems found") + "\n")
    else:
        summary = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        out.write((style.red(summary) if errors else style.yellow(summary)) + "\n")


# -- the parser --------------------------------------------------------------------

def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version
        return version("divulga")
    except (ImportError, PackageNotFoundError):
        return "(not installed: running from the source tree)"


def build_parser() -> argparse.ArgumentParser:
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument("-f", "--config-file", metavar="MKDOCS_YML",
                        help="the site's mkdocs.yml (default: the one in this folder or a parent)")

    parser = argparse.ArgumentParser(
        prog="divulga",
        description="Divulga's editor tools: start news items and project sheets, check the content.",
        epilog="Exit status: 0 nothing wrong, 1 something to fix, 2 could not run.")
    parser.add_argument("--version", action="version", version=f"divulga {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser("new", help="create a news item, an event, a result or a project sheet, "
                                          "ready to fill")
    kinds = new.add_subparsers(dest="kind", metavar="KIND")
    news = kinds.add_parser("news", parents=[config], help="a news item, one file per language",
                            description="Create content/news/<date>-<slug>.<lang>.md for every language: "
                                        "the default language with the title, the others as draft "
                                        "translations.")
    news.add_argument("title", help='the title, in the default language, e.g. "Città più sostenibili"')
    news.add_argument("--date", type=_date, help="YYYY-MM-DD (default: today)")
    news.set_defaults(run=cmd_new_news)
    event = kinds.add_parser("event", parents=[config], help="an event, one file per language",
                             description="Create content/events/<start day>-<slug>.<lang>.md for every "
                                         "language: the default language with the title and dates, the "
                                         "others as draft translations.")
    event.add_argument("title", help='the title, in the default language, e.g. "Giornata di formazione"')
    event.add_argument("--start", required=True, metavar="WHEN",
                       help='the day (2024-05-06) or the day and time ("2024-05-06 09:30")')
    event.add_argument("--end", metavar="WHEN", help="the last day, or the day and time it ends")
    event.add_argument("--online", action="store_true", help="an online event (no venue)")
    event.set_defaults(run=cmd_new_event)
    result = kinds.add_parser("result", parents=[config], help="a result (report, guide, dataset…), one file per "
                                                               "language",
                              description="Create content/results/<date>-<slug>.<lang>.md for every language: "
                                          "the default language with the title, type and documents, the others "
                                          "as draft translations.")
    result.add_argument("title", help='the title, in the default language, e.g. "Rapporto finale"')
    result.add_argument("--type", required=True, choices=RESULT_TYPES, help="what the result is")
    result.add_argument("--file", action="append", metavar="NAME",
                        help="a document already in content/media/ (report.pdf), or an https:// link; "
                             "repeat for each")
    result.add_argument("--date", type=_date, help="the publication date, YYYY-MM-DD (default: today)")
    result.set_defaults(run=cmd_new_result)
    for item in (news, event, result):
        item.add_argument("--tags", action="append", metavar="KEY,KEY",
                          help="tag keys from content/tags.yaml, separated by commas")
        item.add_argument("--projects", action="append", metavar="ID,ID",
                          help="project ids (file names in content/projects/), separated by commas")
    project = kinds.add_parser("project", parents=[config], help="a project sheet",
                               description="Create content/projects/<id>.yaml with every field, "
                                           "the optional ones commented out.")
    project.add_argument("acronym", help="the project's acronym, e.g. S3-4AlpClusters")
    project.set_defaults(run=cmd_new_project)
    new.set_defaults(run=lambda args, out, err: _usage(new, err))

    translated = commands.add_parser(
        "translated", parents=[config], help="record that translations are up to date with their source",
        description="Write translated_from: (the source version's language and fingerprint) into each "
                    "translation given (a news item, event or result, a page of docs/, or a project sheet): "
                    "`divulga check` then lists it as outdated when the source changes.")
    translated.add_argument("files", nargs="+", metavar="FILE", help="a translation, e.g. "
                                                                     "content/news/2024-05-06-x.en.md, "
                                                                     "docs/about.en.md, content/projects/x.yaml")
    translated.add_argument("--lang", metavar="LANG",
                            help="for a project sheet: the language whose texts are up to date (default: "
                                 "every language but the source's)")
    translated.add_argument("--from", dest="source", metavar="LANG",
                            help="the language it was translated from (default: the default language)")
    translated.set_defaults(run=cmd_translated)

    edit = commands.add_parser("edit", parents=[config], help="the web editor on this computer (/admin/)",
                               description="Start the web editor's local backend (decap-server, installed by "
                                           "npm ci) and the site's preview; print the editor's address; stop "
                                           "both with Ctrl-C. What you save is written to this folder's files.")
    edit.add_argument("--port", type=int, default=8000, help="the preview's port (default 8000)")
    edit.set_defaults(run=lambda args, out, err: run_editor(_site(args), args.port, out, err))

    check = commands.add_parser("check", parents=[config],
                                help="check the content as the build does, without building",
                                description="Report every problem as path:line: field: message, then "
                                            "the translations still to do. Exit 1 when there are errors.")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="json: one JSON object, for CI and editors' tools")
    check.set_defaults(run=cmd_check)
    parser.set_defaults(run=lambda args, out, err: _usage(parser, err))
    return parser


def _usage(parser: argparse.ArgumentParser, err: TextIO) -> int:
    parser.print_help(err)
    return CANNOT_RUN


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    collect_less()
    exit_without_collecting()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, out, err)
    except ConfigError as exc:
        style = Style(err)
        if exc.problems:  # mistakes in mkdocs.yml: something to fix
            for problem in exc.problems:
                err.write(f"{style.red('divulga:')} {problem}\n")
            return PROBLEMS
        err.write(f"{style.red('divulga:')} {exc}\n")
        return CANNOT_RUN
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `divulga check | head`: the reader left, say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return PROBLEMS
    except Exception as exc:  # noqa: BLE001 - never a traceback for the editor
        if os.environ.get("DIVULGA_DEBUG"):
            raise
        err.write(f"{Style(err).red('divulga:')} something unexpected went wrong ({type(exc).__name__}: {exc}).\n"
                  "This is a bug in Divulga, not a mistake in your content: please report it with the "
                  "command you ran. Run it again with DIVULGA_DEBUG=1 for the details.\n")
        return CANNOT_RUN


if __name__ == "__main__":
    sys.exit(main())
