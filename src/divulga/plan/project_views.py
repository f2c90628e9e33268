"""Project sheets as a reader of one language sees them.

Everything is formatted here (CLDR dates, money, percentages, country names,
durations, status), and every text carries the language it is written in, so
templates only print values and mark fallbacks with ``lang``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from divulga.l10n import Localizer
from divulga.plan import markup
from divulga.plan.images import Image
from divulga.read.model import Localized, Project


@dataclass(frozen=True)
class Text:
    """Plain text (escaped by templates) in a given language."""

    text: str
    lang: str


@dataclass(frozen=True)
class Html:
    """HTML rendered from a sheet's Markdown (already escaped) in a given
    language: Markup, printed as it is by the autoescaped templates."""

    html: Markup
    lang: str


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    lang: str | None = None  # language of the value when it is not the page's


@dataclass(frozen=True)
class BudgetView:
    total: str
    eu_contribution: str
    cofunding_rate: str
    other: str
    eu_share: float  # percent of the total, for the chart
    chart_text: str  # the chart's text alternative


@dataclass(frozen=True)
class PartnerView:
    name: Text
    country: str
    role: str
    url: str | None
    logo: Image | None = None  # its text alternative is the partner's name


@dataclass(frozen=True)
class Statement:
    """The EU funding statement written in full, with its language."""

    text: str
    lang: str
    grant_agreement: str | None = None


@dataclass(frozen=True)
class ProjectView:
    id: str
    path: str
    acronym: str
    title: Text
    programme: Text
    period: str | None
    status: str | None  # planned / ongoing / concluded
    status_label: str | None
    eu_contribution: str | None
    sort_key: tuple
    # the full sheet
    key_figures: tuple[Fact, ...] = ()  # the band above the facts: budget, EU contribution, rate, duration
    facts: tuple[Fact, ...] = ()  # the table: programme, fund, period, status, other co-financing
    budget: BudgetView | None = None
    statement: Statement | None = None
    summary: Html | None = None
    sections: tuple[tuple[str, tuple[Html, ...]], ...] = ()
    partners: tuple[PartnerView, ...] = ()
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None


def statement(l10n: Localizer, lang: str, kind: str, grant_agreement: str | None = None) -> Statement:
    text, used = l10n.lookup(lang, f"eu_statement_{kind}")
    grant = l10n.t(used, "grant_agreement", number=grant_agreement) if grant_agreement else None
    return Statement(text=text, lang=used, grant_agreement=grant)


class ProjectViews:
    def __init__(self, l10n: Localizer, order: tuple[str, ...], today: dt.date):
        self.l10n = l10n
        self.order = order
        self.today = today

    def text(self, value: Localized, lang: str) -> Text:
        text, used = value.get(lang, self.order)
        return Text(text, used)

    def html(self, value: Localized, lang: str, *, inline: bool = False) -> Html:
        text, used = value.get(lang, self.order)
        return Html(markup.render(text, inline=inline), used)

    def view(self, project: Project, lang: str, path: str) -> ProjectView:
        t, l10n = self.l10n.t, self.l10n
        period = self._period(project, lang)
        status = project.status(self.today)
        status_label = t(lang, f"status_{status}") if status else None
        budget = project.budget
        money = (lambda amount: l10n.money(amount, budget.currency, lang)) if budget else None
        programme = self.text(project.programme, lang)

        key_figures: list[Fact] = []
        facts = [Fact(t(lang, "programme"), programme.text, programme.lang if programme.lang != lang else None)]
        if project.fund:
            try:
                fund = t(lang, f"fund_{project.fund}")
            except KeyError:  # a fund without a known name is shown as written
                fund = project.fund
            facts.append(Fact(t(lang, "fund"), fund))
        if period:
            facts.append(Fact(t(lang, "period"), period))
        if status_label:
            facts.append(Fact(t(lang, "status"), status_label))

        budget_view = None
        if budget:
            figures = dict(total=money(budget.total), eu=money(budget.eu_contribution),
                           rate=l10n.percent(budget.cofunding_rate, lang), other=money(budget.other))
            budget_view = BudgetView(
                total=figures["total"], eu_contribution=figures["eu"], cofunding_rate=figures["rate"],
                other=figures["other"], eu_share=float(budget.eu_contribution / budget.total * 100),
                chart_text=t(lang, "budget_chart_text", **figures),
            )
            key_figures += [
                Fact(t(lang, "total_budget"), budget_view.total),
                Fact(t(lang, "eu_contribution"), budget_view.eu_contribution),
                Fact(t(lang, "cofunding_rate"), budget_view.cofunding_rate),
            ]
            facts.append(Fact(t(lang, "other_cofinancing"), budget_view.other))
        if project.duration_months is not None:
            key_figures.append(Fact(t(lang, "duration"), l10n.months(project.duration_months, lang)))

        sections = tuple(
            (t(lang, name), tuple(self.html(item, lang, inline=True) for item in items))
            for name, items in (("objectives", project.objectives), ("activities", project.activities),
                                ("results", project.results))
            if items
        )
        partners = tuple(
            PartnerView(name=(name := self.text(p.name, lang)), country=l10n.country(p.country, lang),
                        role=t(lang, f"role_{p.role}"), url=p.url,
                        logo=Image(p.logo, name.text, name.lang) if p.logo else None)
            for p in sorted(project.partners, key=lambda p: p.role != "lead")
        )
        return ProjectView(
            id=project.id, path=path, acronym=project.acronym, title=self.text(project.title, lang),
            programme=programme, period=period, status=status, status_label=status_label,
            eu_contribution=budget_view.eu_contribution if budget_view else None,
            sort_key=(-(project.start or dt.date.min).toordinal(), project.acronym.casefold()),
            facts=tuple(facts), key_figures=tuple(key_figures), budget=budget_view,
            statement=statement(l10n, lang, project.funding_statement, project.grant_agreement),
            summary=self.html(project.summary, lang), sections=sections, partners=partners,
            website=project.website,
            contact_name=project.contact.name if project.contact else None,
            contact_email=project.contact.email if project.contact else None,
        )

    def _period(self, project: Project, lang: str) -> str | None:
        date = self.l10n.date
        if project.start and project.end:
            return self.l10n.t(lang, "period_range", start=date(project.start, lang), end=date(project.end, lang))
        if project.start:
            return self.l10n.t(lang, "period_from", start=date(project.start, lang))
        if project.end:
            return self.l10n.t(lang, "period_until", end=date(project.end, lang))
        return None
