"""The web editor: Decap CMS at ``/admin/``, configured from the content schema.

Communication officers who never touch git edit the site in forms: every
language side by side, drafts per language version, images and documents
uploaded into the media folder, tags and projects chosen from lists, and a
translation confirmed as up to date with its source as `divulga translated`
does (Divulga's own widget, ``TRANSLATION_JS``). Decap CMS (npm
``decap-cms``, MIT) commits what they save to the repository, as Markdown and
YAML in the content contract, and the publish workflow builds the site.

Nothing here is written by hand for one site: ``decap_config`` makes the
CMS's configuration from the declared schemas (``divulga.read.schema``), the
languages and default language of ``mkdocs.yml``, the tag vocabulary, the
project sheets and ``extra.divulga.editor`` (the git backend), so a field
added to a schema appears in the editor with no further change. Each field's
help text is the schema's, in the interface language (the default
language). What a form cannot express (an end not before the start, a
venue for an event in person) the build's checks report, as for any file.

The CMS itself is vendored unchanged (``decap/``: its version, licence and
the SHA-256 of every file), served from the site: the build needs no Node,
and ``/admin/`` requests nothing from elsewhere but the configured git
backend. Pure: ``admin_files`` gives the files to publish under ``admin/``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import yaml

from divulga import urls
from divulga.l10n import Localizer
from divulga.read.model import Content
from divulga.read.schema import (
    EVENT,
    NEWS,
    PROJECT,
    RESULT,
    TAG,
    TRANSLATION,
    Amount,
    Boolean,
    Country,
    Currency,
    Date,
    DateTime,
    Doi,
    Email,
    Enum,
    Field,
    Language,
    Licence,
    ListOf,
    Localized,
    Markdown,
    MediaDocument,
    MediaFile,
    Nested,
    PerLanguage,
    Reference,
    Slug,
    Text,
    TimeZone,
    Url,
    countries,
    language_codes,
)
from divulga.read.tags import LIST_KEY, TAGS_FILE, written_as_list
from divulga.settings import Settings
from divulga.text import SPACING

DECAP = Path(__file__).parent / "decap"  # the vendored CMS: decap-cms.js, its chunks, LICENSE, SHA256SUMS
ADMIN = urls.ADMIN
# Interface languages Decap CMS has; the editor speaks the site's default language when it is one of them.
DECAP_LOCALES = ("bg", "ca", "cs", "da", "de", "en", "es", "fa", "fr", "gr", "he", "hr", "hu", "it", "ja", "ko",
                 "lt", "nb_no", "nl", "nn_no", "pl", "pt", "ro", "ru", "sv", "th", "tr", "uk", "vi", "zh_Hans",
                 "zh_Hant")
# decap-server, the local backend of `divulga edit` (its own port, on this machine only).
LOCAL_BACKEND_PORT = 8081
# Item collections: the schema, the folder under the content folder, what the editor calls them.
ITEMS = (("news", NEWS, "news", {"it": "Notizie", "en": "News"}, {"it": "notizia", "en": "news item"}),
         ("events", EVENT, "events", {"it": "Eventi", "en": "Events"}, {"it": "evento", "en": "event"}),
         ("results", RESULT, "results", {"it": "Risultati", "en": "Results"}, {"it": "risultato", "en": "result"}))
BODY = {"it": "Testo", "en": "Text"}
PROJECTS_LABEL = {"it": "Schede progetto", "en": "Project sheets"}
PROJECT_SINGULAR = {"it": "scheda progetto", "en": "project sheet"}
TAGS_LABEL = {"it": "Tag", "en": "Tags"}
# A translation's record of its source (translated_from: {lang, fingerprint}): Divulga's own widget (TRANSLATION_JS),
# which says whether the translation is up to date and confirms it as `divulga translated` does.
TRANSLATION_WIDGET = "divulga-translation"
TRANSLATION_TEXTS = ("editor_translation_current", "editor_translation_outdated", "editor_translation_unconfirmed",
                     "editor_translation_no_title", "editor_translation_insecure", "editor_translation_confirm")
# The slug of a new item, as `divulga new` makes it: its date (Decap's year, month and day come from the
# field named date) and its title.
SLUGS = {"news": "{{year}}-{{month}}-{{day}}-{{slug}}", "results": "{{year}}-{{month}}-{{day}}-{{slug}}",
         "events": "{{fields.start | date('YYYY-MM-DD')}}-{{slug}}"}
DATE_FORMAT = "YYYY-MM-DD"
PATTERNS = {
    Url: (r"^https?://\S+$", {"it": "un indirizzo completo, https://…", "en": "a full address, https://…"}),
    Email: (r"^[^@\s]+@[^@\s]+\.[^@\s]+$", {"it": "un indirizzo e-mail", "en": "an e-mail address"}),
    Currency: (r"^[A-Za-z]{3}$", {"it": "un codice di tre lettere, es. EUR", "en": "a three-letter code, e.g. EUR"}),
    Slug: (r"^[a-z0-9]+(-[a-z0-9]+)*$", {"it": "lettere minuscole, cifre e trattini",
                                         "en": "lowercase letters, digits and hyphens"}),
    DateTime: (r"^\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?$",
               {"it": "AAAA-MM-GG, oppure AAAA-MM-GG HH:MM", "en": "YYYY-MM-DD, or YYYY-MM-DD HH:MM"}),
    Doi: (r"^(https://doi\.org/)?10\.\d{4,9}/\S+$", {"it": "un DOI, es. 10.5281/zenodo.1234567",
                                                    "en": "a DOI, e.g. 10.5281/zenodo.1234567"}),
}


def interface_language(settings: Settings) -> str:
    """The editor's own language: the site's default language if Decap has it, else English."""
    code = settings.default_language.code
    return code if code in DECAP_LOCALES else "en"


def _say(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts["en"]


class _Fields:
    """Decap CMS fields from a schema's fields, in one interface language."""

    def __init__(self, settings: Settings, content: Content, lang: str):
        self.settings, self.content, self.lang = settings, content, lang
        self.l10n = Localizer(settings)
        self.codes = settings.codes
        self.default = settings.default_language.code

    def field(self, f: Field, *, item: bool = False) -> dict[str, Any]:
        """One field; ``item``: of an item written once per language (news, events, results), where
        shared facts are written in the default language's file only, and the others in every language."""
        spec: dict[str, Any] = {"name": f.name, "label": self.label(f.name), "required": f.required,
                                "hint": f.help_in(self.lang)}
        spec.update(self.widget(f.type, f))
        if f.default is not None and not isinstance(f.type, (ListOf, Nested)):
            spec["default"] = f.default
        if item:  # shared facts are written once, in the default language's file
            spec["i18n"] = not f.shared
        return spec

    def label(self, name: str) -> str:
        """A field's label in the interface language (ui_strings.yaml: field_<name>), else its name."""
        try:
            return self.l10n.t(self.lang, f"field_{name}")
        except KeyError:
            return name.replace("_", " ").capitalize()

    def widget(self, kind: Any, f: Field | None = None) -> dict[str, Any]:
        """The widget for a field type (and its options)."""
        for cls, (pattern, message) in PATTERNS.items():
            if isinstance(kind, cls):
                return {"widget": "string", "pattern": [pattern, _say(message, self.lang)]}
        if isinstance(kind, Localized):
            inner = self.widget(kind.of) if kind.of is not None else {"widget": "string"}
            # not required in the form: a sheet may write one text for every language (name: ANIMA), which
            # the form shows empty and leaves as it is; the build's checks say when the default is missing
            return {"widget": "object", "collapsed": False, "fields": [
                {"name": code, "label": self.settings.language(code).name, "required": False, **inner}
                for code in self.codes]}
        if isinstance(kind, Markdown):
            return {"widget": "markdown", "buttons": ["bold", "italic", "link", "bulleted-list", "numbered-list"],
                    "editor_components": [], "modes": ["rich_text", "raw"]}
        if isinstance(kind, Text):
            return {"widget": "string"}
        if isinstance(kind, Date):
            return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False,
                    "picker_utc": True}
        if isinstance(kind, Boolean):
            return {"widget": "boolean"}
        if isinstance(kind, Amount):
            return {"widget": "number", "value_type": "float", "min": 0}
        if isinstance(kind, MediaDocument):
            return {"widget": "file", "choose_url": False}
        if isinstance(kind, MediaFile):
            return {"widget": "image", "choose_url": False}
        if isinstance(kind, Enum):
            return {"widget": "select", "options": list(kind.choices)}
        if isinstance(kind, Country):
            names = self._locale().territories
            return self._select({code: names.get(code, code) for code in countries()})
        if isinstance(kind, Language):
            names = self._locale().languages
            return self._select({code: f"{names.get(code, code)} ({code})" for code in language_codes()})
        if isinstance(kind, TimeZone):
            return {"widget": "string", "pattern": [r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$",
                                                    "Europe/Rome, Europe/Brussels, UTC"]}
        if isinstance(kind, Licence):
            return {"widget": "string", "pattern": [r"^[A-Za-z0-9.+-]+$", "CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0"]}
        if isinstance(kind, Reference):
            return self._reference(kind, multiple=False)
        if isinstance(kind, ListOf):
            if isinstance(kind.item, Reference):
                return self._reference(kind.item, multiple=True)
            if isinstance(kind.item, Nested):
                spec = {"widget": "list", "collapsed": False, "minimize_collapsed": False,
                        "fields": [self.field(sub) for sub in kind.item.schema.fields]}
                return {**spec, "min": kind.minimum} if kind.minimum else spec
            return {"widget": "list", "field": {"name": "item", "label": kind.noun, **self.widget(kind.item)}}
        if isinstance(kind, PerLanguage):
            # a sheet's record of its translations (divulga translated): kept as written, not shown
            return {"widget": "hidden"}
        if isinstance(kind, Nested) and kind.schema is TRANSLATION:
            return {"widget": TRANSLATION_WIDGET}  # written by the widget's button only, never typed
        if isinstance(kind, Nested):
            fields = [self.field(sub) for sub in kind.schema.fields]
            if f is not None and not f.required:
                # Decap asks for a required sub-field even when the whole mapping is left empty (an online
                # event's venue): the form does not insist, the build's checks do when it is written
                fields = [{**sub, "required": False} for sub in fields]
            return {"widget": "object", "collapsed": False, "fields": fields}
        return {"widget": "string"}  # a number (an amount) is read from its text too

    def _locale(self):
        from babel import Locale
        return Locale.parse(self.lang)

    @staticmethod
    def _select(options: Mapping[str, str]) -> dict[str, Any]:
        return {"widget": "select", "options": [{"label": label, "value": value}
                                                for value, label in sorted(options.items(), key=lambda o: o[1])]}

    def _reference(self, kind: Reference, *, multiple: bool) -> dict[str, Any]:
        """Tags from content/tags.yaml with their labels, projects from the sheets with their acronyms."""
        order = (self.default,)
        if kind.target.name == "tag":
            options = {key: tag.label(self.lang, order)[0] for key, tag in self.content.tags.items()}
        else:
            options = {key: self.content.projects[key].acronym if key in self.content.projects else key
                       for key in sorted(self.content.project_ids)}
        spec = self._select(options)
        spec["multiple"] = multiple
        return spec


def decap_config(settings: Settings, content: Content, *, local: bool = False) -> dict[str, Any]:
    """Decap CMS's configuration for this site: ``local`` (a preview, `divulga edit`) talks to
    decap-server on this machine instead of the git backend."""
    lang = interface_language(settings)
    fields = _Fields(settings, content, lang)
    content_dir = settings.relative(settings.content_dir)
    editor = dict(settings.editor)
    backend: dict[str, Any] = {"name": editor.pop("backend", "github")}
    backend.update(editor)  # repo, branch, base_url, auth_endpoint, auth_type, app_id (checked in config_file)
    backend.setdefault("branch", "main")
    config: dict[str, Any] = {
        "backend": backend,
        "locale": lang,
        "media_folder": f"{content_dir}/media",
        "public_folder": "",
        "site_url": settings.site_url or None,
        "display_url": settings.site_url or None,
        "i18n": {"structure": "multiple_files", "locales": list(settings.codes),
                 "default_locale": settings.default_language.code},
        "collections": [],
    }
    if local:
        config["local_backend"] = {"url": f"http://127.0.0.1:{LOCAL_BACKEND_PORT}/api/v1",
                                   "allowed_hosts": ["127.0.0.1", "localhost"]}
    for name, schema, folder, label, singular in ITEMS:
        config["collections"].append({
            "name": name, "label": _say(label, lang), "label_singular": _say(singular, lang),
            "folder": f"{content_dir}/{folder}", "create": True, "extension": "md", "format": "frontmatter",
            "slug": SLUGS[name],
            "identifier_field": "title", "summary": "{{title}}", "i18n": True,
            "preview_path": f"{folder}/{{{{slug}}}}/",
            "fields": [fields.field(f, item=True) for f in schema.fields]
            + [{"name": "body", "label": _say(BODY, lang), "widget": "markdown", "i18n": True, "required": False,
                "hint": _say({"it": "il testo, in Markdown", "en": "the text, in Markdown"}, lang)}],
        })
    if written_as_list(settings):  # the mapping form (key: label per line) has keys no form can edit
        config["collections"].append({
            "name": "tags", "label": _say(TAGS_LABEL, lang), "files": [{
                "name": "vocabulary", "label": _say(TAGS_LABEL, lang),
                "file": f"{content_dir}/{TAGS_FILE}",
                "fields": [{"name": LIST_KEY, "label": _say(TAGS_LABEL, lang), "widget": "list",
                            "collapsed": False, "summary": "{{fields.key}}",
                            "fields": [fields.field(f) for f in TAG.fields]}]}],
        })
    config["collections"].append({
        "name": "projects", "label": _say(PROJECTS_LABEL, lang), "label_singular": _say(PROJECT_SINGULAR, lang),
        "folder": f"{content_dir}/projects",
        "create": True, "extension": "yaml", "format": "yml", "identifier_field": "acronym",
        "slug": "{{fields.acronym}}", "summary": "{{acronym}}",
        "fields": [fields.field(f) for f in PROJECT.fields],
    })
    return config


# libyaml's emitter when PyYAML has it (its wheels do): four times as fast as PyYAML's own (0.07 s of
# every build), the same text for ordinary strings, and it escapes what PyYAML's own writes raw and reads
# back otherwise (a NEL, U+0085, came back as a space; tests/test_webeditor.py).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def config_yaml(settings: Settings, content: Content, *, local: bool = False) -> str:
    """The configuration as Decap reads it (``admin/config.yml``)."""
    config = decap_config(settings, content, local=local)
    config = {key: value for key, value in config.items() if value is not None}
    return "# Made by Divulga from the content schema and mkdocs.yml: do not edit, it is made again at every build.\n" \
        + yaml.dump(config, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)


def index_html(settings: Settings, lang: str, stylesheets: list[str]) -> str:
    """``admin/index.html``: the CMS, its configuration, and the site's stylesheets for the preview."""
    styles = json.dumps(stylesheets)
    return f"""<!doctype html>
<html lang="{escape(lang)}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>{escape(settings.site_name or "Divulga")} – editor</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <script src="decap-cms.js"></script>
  <script>window.DIVULGA_STYLES = {styles};</script>
  <script src="preview.js"></script>
</body>
</html>
"""


PREVIEW_JS = """// Divulga's previews in Decap CMS: the site's stylesheets, and each entry drawn as the site draws it
// (title, facts, picture, text), so an officer sees the page before saving.
(function () {
  var CMS = window.CMS, h = window.h;
  (window.DIVULGA_STYLES || []).forEach(function (href) { CMS.registerPreviewStyle(href); });
  function text(entry, name) { var value = entry.getIn(["data", name]); return value == null ? "" : String(value); }
  function item(kind) {
    return function (props) {
      var entry = props.entry, image = text(entry, "image");
      var facts = ["date", "start", "end", "type"].filter(function (name) { return text(entry, name); })
        .map(function (name) { return h("li", { key: name }, name + ": " + text(entry, name)); });
      return h("article", { className: "md-typeset divulga-preview divulga-preview--" + kind },
        h("h1", {}, text(entry, "title")),
        text(entry, "summary") ? h("p", { className: "divulga-card__summary" }, text(entry, "summary")) : null,
        facts.length ? h("ul", { className: "divulga-meta" }, facts) : null,
        image ? h("img", { src: props.getAsset(image).toString(), alt: text(entry, "image_alt") }) : null,
        h("div", { className: "divulga-news__body" }, props.widgetFor("body")));
    };
  }
  CMS.registerPreviewTemplate("news", item("news"));
  CMS.registerPreviewTemplate("events", item("event"));
  CMS.registerPreviewTemplate("results", item("result"));
  CMS.registerPreviewTemplate("projects", function (props) {
    var entry = props.entry, title = entry.getIn(["data", "title"]), summary = entry.getIn(["data", "summary"]);
    function first(value) { return value && value.toJS ? Object.values(value.toJS())[0] : (value || ""); }
    return h("article", { className: "md-typeset divulga-preview divulga-preview--project" },
      h("p", { className: "divulga-project__acronym" }, text(entry, "acronym")),
      h("h1", {}, first(title)), h("p", {}, first(summary)));
  });
})();
"""

TRANSLATION_JS = """// Divulga's widget for a translation's record of its source (translated_from: {lang, fingerprint}).
// In a translation's form it says whether the translation is up to date with its source's text, outdated
// (the source changed since it was confirmed) or never confirmed, and its button confirms it as `divulga
// translated` does: the fingerprint of the default language's title, summary and text
// (divulga.text.fingerprint). In the default language's form it shows nothing and writes nothing.
(function () {
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  var SETUP = /*SETUP*/;  // source: the default language; spacing: divulga.text.SPACING; texts: key -> language -> text
  var SPACING = new RegExp("[" + SETUP.spacing + "]+", "g");
  function get(map, key) { return map == null ? undefined : typeof map.get === "function" ? map.get(key) : map[key]; }
  function say(key, lang) { return SETUP.texts[key][lang] || SETUP.texts[key][SETUP.source]; }
  function part(value) { return (value == null ? "" : String(value)).replace(SPACING, " ").replace(/^ +| +$/g, ""); }
  // title, summary and text of one language version of the entry, as the fingerprint reads them (null: none)
  function parts(entry, lang) {
    var data = entry && (lang === SETUP.source ? entry.get("data") : entry.getIn(["i18n", lang, "data"]));
    return data ? [get(data, "title"), get(data, "summary"), get(data, "body")].map(part) : null;
  }
  function fingerprint(texts) {
    return window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(texts.join("\\n"))).then(function (sum) {
      return Array.prototype.map.call(new Uint8Array(sum), function (byte) {
        return (byte < 16 ? "0" : "") + byte.toString(16);
      }).join("").slice(0, 12);
    });
  }
  var style = document.createElement("style");
  style.textContent = ".divulga-translation__status { margin: 0 0 12px; font-weight: 600; color: #313d3e; }"
    + ".divulga-translation__status[data-state=current] { color: #1b5e20; }"
    + ".divulga-translation__status[data-state=outdated] { color: #a4161a; }"
    + ".divulga-translation__confirm { font: inherit; font-size: 14px; font-weight: 600; cursor: pointer;"
    + " padding: 8px 14px; border: 2px solid #3a69c7; border-radius: 5px; background: #fff; color: #2a4f99; }"
    + ".divulga-translation__confirm:hover { background: #e8eefa; }"
    + ".divulga-translation__confirm:focus-visible { outline: 3px solid #1a3a7a; outline-offset: 2px; }"
    + ".divulga-translation__confirm:disabled { cursor: not-allowed; border-color: #8a8f98; color: #5c6370; }"
    // the default language's form: not the field's label and help either (where the browser has :has())
    + "div[class*=ControlContainer]:has(> .divulga-translation-source) { display: none; }";
  document.head.appendChild(style);

  var Control = createClass({
    getInitialState: function () { return { state: null, title: true }; },
    componentDidMount: function () {
      // the form does not draw a field again when another field changes: look at the entry now and then
      this.check();
      this.timer = window.setInterval(this.check, 400);
    },
    componentDidUpdate: function () { this.check(); },
    componentWillUnmount: function () { window.clearInterval(this.timer); this.gone = true; },
    translation: function () { return this.props.locale && this.props.locale !== SETUP.source; },
    entry: function () { return this.props.getEntry ? this.props.getEntry() : this.props.entry; },
    check: function () {
      if (!this.translation() || this.gone) return;
      var self = this, value = this.props.value, entry = this.entry();
      var lang = get(value, "lang"), recorded = get(value, "fingerprint");
      var source = parts(entry, lang || SETUP.source), own = parts(entry, SETUP.source);
      var title = !!(own && own[0]);
      var key = JSON.stringify([lang, recorded, source, title]);
      if (key === this.key) return;
      this.key = key;
      if (!(window.crypto && window.crypto.subtle)) { this.setState({ state: "insecure", title: title }); return; }
      if (!lang || !recorded) { this.setState({ state: "unconfirmed", title: title }); return; }
      if (!source) { this.setState({ state: "outdated", title: title }); return; }
      fingerprint(source).then(function (now) {
        if (self.gone || self.key !== key) return;  // the entry changed meanwhile: its own check follows
        self.setState({ state: now === recorded ? "current" : "outdated", title: title });
      });
    },
    confirm: function () {
      var self = this, entry = this.entry(), texts = parts(entry, SETUP.source);
      if (!texts || !texts[0]) return;
      fingerprint(texts).then(function (now) {
        if (self.gone) return;
        // a mapping as the form keeps one (an Immutable Map), written as translated_from: {lang, fingerprint}
        self.props.onChange(entry.get("data").clear().set("lang", SETUP.source).set("fingerprint", now));
      });
    },
    render: function () {
      if (!this.translation()) return h("span", { className: "divulga-translation-source", hidden: true });
      var props = this.props, state = this.state.state, lang = get(props.value, "lang") || SETUP.source;
      var status = props.forID + "-status", message = "";
      if (state === "insecure") message = say("editor_translation_insecure", SETUP.source);
      else if (!this.state.title) message = say("editor_translation_no_title", SETUP.source);
      else if (state) message = say("editor_translation_" + state, state === "unconfirmed" ? SETUP.source : lang);
      return h("div", { className: props.classNameWrapper + " divulga-translation", id: props.forID, role: "group",
                        "aria-label": props.field.get("label") },
        h("p", { className: "divulga-translation__status", id: status, role: "status", "data-state": state || "" },
          message),
        h("button", { type: "button", className: "divulga-translation__confirm", onClick: this.confirm,
                      disabled: state === "insecure" || !this.state.title, "aria-describedby": status,
                      onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle },
          say("editor_translation_confirm", SETUP.source)));
    }
  });
  CMS.registerWidget(SETUP.widget, Control, function () { return null; });
})();
"""


def editor_js(settings: Settings) -> str:
    """``admin/preview.js``: the previews, and the widget of a translation's record (its texts in the
    interface language, the spacing of ``divulga.text.fingerprint``)."""
    lang = interface_language(settings)
    l10n = Localizer(settings)
    texts = {}
    for key in TRANSLATION_TEXTS:
        text, used = l10n.lookup(lang, key)  # naming each language in the language the text is in
        texts[key] = {code: text.format(language=l10n.language_name(code, used)) for code in settings.codes}
    setup = {"widget": TRANSLATION_WIDGET, "source": settings.default_language.code, "spacing": SPACING,
             "texts": texts}
    return PREVIEW_JS + "\n" + TRANSLATION_JS.replace("/*SETUP*/", json.dumps(setup, ensure_ascii=False))


def vendored() -> dict[str, bytes]:
    """The CMS's files as vendored, each checked against SHA256SUMS (a changed file is refused)."""
    sums = {}
    for line in (DECAP / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.strip()] = digest
    files = {}
    for name, digest in sorted(sums.items()):
        data = (DECAP / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise ValueError(f"{DECAP / name} does not match its SHA-256 in {DECAP / 'SHA256SUMS'}")
        files[name] = data
    files["LICENSE"] = (DECAP / "LICENSE").read_bytes()
    return files


def admin_files(settings: Settings, content: Content, *, local: bool = False,
                stylesheets: list[str] = ()) -> dict[str, bytes]:
    """Every file of ``admin/``, by site path: the page, the configuration, the previews, the CMS."""
    files = {f"{ADMIN}{name}": data for name, data in vendored().items()}
    files[f"{ADMIN}index.html"] = index_html(settings, interface_language(settings), list(stylesheets)).encode()
    files[f"{ADMIN}config.yml"] = config_yaml(settings, content, local=local).encode()
    files[f"{ADMIN}preview.js"] = editor_js(settings).encode()
    return files
