"""What the pages show, computed from an (anonymised) export document: plain dataclasses the templates read.

Nothing here formats HTML; the templates do, with autoescape. Words, money and dates are in the workshop's
language (``Workshop.language``, through ``report_words.Words``); status codes stay codes (the templates
label them, and use them as CSS classes). Every list is in a fixed order so the same data gives the same page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from workshop_tui.backlog import MAIN_LINE, BudgetTotals, budget_totals, department_name, review_overdue
from workshop_tui.backlog_ledger import DepartmentAsks, PromiseLedger, asks_by_department, promise_ledger
from workshop_tui.export_json import ExportDocument, idea_dots, idea_status, theme_tally, top_ideas
from workshop_tui.export_markdown import backlog_in_order
from workshop_tui.export_markdown import flags as attention_flags
from workshop_tui.locales import N_
from workshop_tui.models import BacklogItem, BacklogStatus, StatusChange
from workshop_tui.phases import PHASE_SPECS, Phase
from workshop_tui.publish.text import department_slug, file_id
from workshop_tui.report_words import Words

TOP_IDEAS = 10
AFTER_THE_VOTE = frozenset({Phase.TEAMS, Phase.BACKLOG, Phase.CLOSED})
#: No review is awaited any more: the next-reviews table leaves them out.
CLOSED_STATUSES = frozenset({BacklogStatus.ADOPTED.value, BacklogStatus.DROPPED.value})


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    fraction: float
    kind: str = ""


@dataclass(frozen=True)
class Step:
    day: dt.date
    change: str
    note: str
    next_review: dt.date | None


@dataclass(frozen=True)
class AskView:
    kind: str
    department: str
    department_slug: str
    detail: str
    status: str
    due: dt.date | None
    answer: str
    answered_at: dt.date | None
    overdue: bool
    prototype: str
    prototype_anchor: str
    workshop_code: str
    workshop_title: str


@dataclass(frozen=True)
class Prototype:
    anchor: str
    feed: str
    title: str
    problem: str
    status: str
    stage: int
    owner: str
    dots: int
    next_review: dt.date | None
    overdue: bool
    flags: list[str]
    steps: list[Step]
    budget: list[Bar]
    requests: list[tuple[str, str, str]]
    asks: list[AskView]


@dataclass(frozen=True)
class Team:
    label: str
    champion: str
    members: int


@dataclass(frozen=True)
class Department:
    """A department's figures (workshop_tui/backlog_ledger.py ``asks_by_department``) and its asks as shown."""

    figures: DepartmentAsks
    slug: str
    asks: list[AskView] = field(default_factory=list)


@dataclass(frozen=True)
class WorkshopPage:
    lang: str
    code: str
    title: str
    prompt: str
    phase: str
    follow_url: str | None
    people: int
    notes: int
    dots: int
    themes: list[tuple[str, int, int]]
    #: Whether the room has seen the votes: before the reveal the site shows no ranking either.
    results_public: bool
    top: list[Bar]
    teams: list[Team]
    prototypes: list[Prototype]
    budget: BudgetTotals
    budget_bars: list[Bar]
    ledger: PromiseLedger
    ledger_bars: list[Bar]
    departments: list[Department]
    reviews: list[Prototype]


def as_of_moment(day: dt.date) -> dt.datetime:
    """The ledger is computed at the end of the "as of" day (UTC): that day's changes count."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


def ordered_history(item: BacklogItem) -> list[StatusChange]:
    return sorted(item.history, key=lambda h: h.at)  # stable: same-instant entries keep their order


def describe_change(index: int, h: StatusChange, words: Words) -> str:
    to = words.label(h.to)
    if index == 0:
        return words.tr.gettext("added to the backlog as {status}").format(status=to)
    if h.from_ is not None and h.from_ != h.to:
        return f"{words.label(h.from_)} → {to}"
    return words.tr.gettext("reviewed ({status})").format(status=to)


def _fraction(value: float, largest: float) -> float:
    return 0.0 if largest <= 0 else min(1.0, max(0.0, value / largest))


def _owner(item: BacklogItem, words: Words) -> str:
    owner = item.owner
    if not owner.name:
        return words.tr.gettext("not named yet")
    if owner.public and owner.contact:
        return f"{owner.name} ({owner.contact})"
    return owner.name


def slug_of(name: str) -> str:
    """The department's page, grouped as ``asks_by_department`` groups (spacing and case ignored)."""
    return department_slug(name.casefold())


def ask_views(doc: ExportDocument, item: BacklogItem, today: dt.date) -> list[AskView]:
    return [
        AskView(
            kind=ask.kind.value,
            department=department_name(ask),
            department_slug=slug_of(department_name(ask)),
            detail=ask.detail,
            status=ask.status.value,
            due=ask.due,
            answer=ask.answer,
            answered_at=ask.answered_at,
            overdue=ask.overdue(today),
            prototype=item.title,
            prototype_anchor=f"p-{file_id(item.id)}",
            workshop_code=doc.workshop.code,
            workshop_title=doc.workshop.title,
        )
        for ask in item.asks
    ]


def prototype_view(doc: ExportDocument, item: BacklogItem, now: dt.datetime, words: Words) -> Prototype:
    currency = doc.workshop.settings.currency
    pool = doc.workshop.settings.budget_pool
    totals = budget_totals([item], pool, currency)
    largest = float(max(pool, totals.requested + totals.committed, Decimal(1)))
    steps = [
        Step(day=h.at.date(), change=describe_change(n, h, words), note=h.note, next_review=h.next_review)
        for n, h in enumerate(ordered_history(item))
    ]
    stage = MAIN_LINE.index(item.status) if item.status in MAIN_LINE else -1
    return Prototype(
        anchor=f"p-{file_id(item.id)}",
        feed=f"{file_id(item.id)}.atom",
        title=item.title,
        problem=item.problem if " ".join(item.problem.split()) != " ".join(item.title.split()) else "",
        status=item.status.value,
        stage=stage,
        owner=_owner(item, words),
        dots=item.dots,
        next_review=item.next_review,
        overdue=review_overdue(item, now.date()),
        flags=attention_flags(item, now, words, escape=str),
        steps=steps,
        budget=_budget_bars(totals, largest, words) if item.budget_requests else [],
        requests=[(words.money(r.amount, r.currency), r.purpose, words.label(r.status)) for r in item.budget_requests],
        asks=ask_views(doc, item, now.date()),
    )


def _budget_bars(totals: BudgetTotals, largest: float, words: Words) -> list[Bar]:
    rows = [
        (N_("requested"), totals.requested, "requested"),
        (N_("approved"), totals.approved, "approved"),
        (N_("spent"), totals.spent, "spent"),
        (N_("pool"), totals.pool, "pool"),
    ]
    return [
        Bar(words.tr.gettext(label), words.money(amount, totals.currency), _fraction(float(amount), largest), kind)
        for label, amount, kind in rows
    ]


def departments(items: list[BacklogItem], asks: list[AskView], today: dt.date) -> list[Department]:
    """Per department (alphabetically): its figures over ``items`` and the asks it was sent, as shown."""
    shown: dict[str, list[AskView]] = {}
    for ask in asks:
        shown.setdefault(ask.department_slug, []).append(ask)
    out = []
    for figures in asks_by_department(items, today):
        slug = slug_of(figures.department)
        out.append(Department(figures=figures, slug=slug, asks=shown.get(slug, [])))
    return out


def workshop_page(doc: ExportDocument, now: dt.datetime) -> WorkshopPage:
    w = doc.workshop
    words = Words(w.language)
    dots = idea_dots(doc)
    visible = [i for i in doc.ideas if idea_status(i) == "visible"]
    theme_names = {t.id: t.name for t in doc.themes}
    results_public = w.results_revealed or w.phase in AFTER_THE_VOTE
    ranked = top_ideas(doc, TOP_IDEAS) if results_public else []
    most = ranked[0][1] if ranked else 0
    top = [
        Bar(idea.text, str(count), _fraction(count, most), theme_names.get(idea.theme_id or "", ""))
        for idea, count in ranked
    ]
    tally = theme_tally(doc)
    names = {p.id: p.name for p in doc.participants}
    ideas = {i.id: i for i in doc.ideas}
    posted = {i.id: (i.created_at, i.id) for i in doc.ideas}
    teams = [
        Team(
            label=ideas[t.idea_id].text if t.idea_id in ideas else t.name,
            champion=names.get(t.champion_id or "", words.tr.gettext("none yet")),
            members=len(t.member_ids),
        )
        for t in sorted(doc.teams, key=lambda t: (-dots[t.idea_id], posted.get(t.idea_id, (w.created_at, "")), t.id))
    ]
    items = backlog_in_order(doc)
    prototypes = [prototype_view(doc, item, now, words) for item in items]
    totals = budget_totals(items, w.settings.budget_pool, w.settings.currency)
    largest = float(max(totals.pool, totals.requested, totals.approved, totals.spent, Decimal(1)))
    ledger = promise_ledger(w, items, now)
    return WorkshopPage(
        lang=w.language,
        code=w.code,
        title=w.title,
        prompt=w.prompt,
        phase=words.tr.gettext(PHASE_SPECS[w.phase].audience_title),
        follow_url=w.follow_url,
        people=len(doc.participants),
        notes=len(visible),
        dots=sum(dots.values()),
        themes=[(t.name, tally.notes[t.id], tally.dots[t.id] if results_public else 0) for t in doc.themes],
        results_public=results_public,
        top=top,
        teams=teams,
        prototypes=prototypes,
        budget=totals,
        budget_bars=_budget_bars(totals, largest, words),
        ledger=ledger,
        ledger_bars=_ledger_bars(ledger, words),
        departments=departments(items, [a for p in prototypes for a in p.asks], now.date()),
        reviews=sorted(
            (p for p in prototypes if p.next_review is not None and p.status not in CLOSED_STATUSES),
            key=lambda p: (p.next_review or dt.date.max, p.title, p.anchor),
        ),
    )


def _ledger_bars(ledger: PromiseLedger, words: Words) -> list[Bar]:
    reviews = max(ledger.reviews, 1)
    items = max(ledger.items, 1)
    rows = [
        (N_("reviews on time"), ledger.reviews_on_time, reviews, "good"),
        (N_("reviews late"), ledger.reviews_late, reviews, "bad"),
        (N_("moved forward"), ledger.moved_forward, items, "good"),
        (N_("stalled"), ledger.stalled, items, "bad"),
    ]
    return [
        Bar(words.tr.gettext(label), words.number(value), _fraction(value, whole), kind)
        for label, value, whole, kind in rows
    ]
