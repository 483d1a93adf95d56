"""The Markdown report for the city website, and the per-department digest.

Everything people typed (notes, titles, names, notes in the history, even the prompt) goes through
:func:`md_text`: whitespace is collapsed to one line, HTML is escaped to entities and Markdown's
special characters are backslash-escaped, so a note cannot add a link, an image, a heading, a
table cell or HTML to the city's page. Autolinks too (GitHub-flavoured renderers and linkify turn
bare ``https://x``, ``www.x``, ``x.com`` and e-mail addresses into links): every ``:`` and every
``.`` between two word characters is backslash-escaped, which renders the same text but splits it
into tokens no linkifier joins; cmark-gfm, though, finds e-mail addresses after unescaping, so the
``@`` that starts a word (an address, a mention) is written as the full-width ``＠`` (U+FF20).

Names: with an anonymized document (``--anonymize``) people appear under their pseudonyms and
owners who did not consent as "Owner (not public)"; an owner's contact is printed only when they
consented (``owner.public``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from decimal import Decimal

from workshop_tui.backlog import DepartmentAsks, asks_by_department, needs_attention, promise_ledger, review_overdue
from workshop_tui.export_json import ExportDocument, idea_dots, idea_status, item_budget, money, top_ideas
from workshop_tui.models import Ask, BacklogItem, BudgetStatus, Team

BAR = "█"
BAR_WIDTH = 20
TOP_IDEAS = 10

_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~!:])")
_LEADING_LIST = re.compile(r"^(\d+)([.)])")
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")  # domains: x.com, www.x, 1.2.3.4
_AT_WORD = re.compile(r"@(?=\w)")  # e-mail addresses and mentions
FULLWIDTH_AT = "\uff20"


def md_text(text: str) -> str:
    """Untrusted text as inline Markdown that renders as exactly that text (an `@` starting a word as `＠`)."""
    line = " ".join(text.split())
    line = html.escape(line, quote=False)  # & < > become entities: no HTML, no autolinks <...>
    line = _SPECIAL.sub(r"\\\1", line)
    line = _LEADING_LIST.sub(r"\1\\\2", line)
    line = _INNER_DOT.sub(r"\\.", line)
    line = _AT_WORD.sub(FULLWIDTH_AT, line)
    if line[:1] in ("-", "+", "="):
        line = "\\" + line
    return line


def bar(value: int, largest: int, width: int = BAR_WIDTH) -> str:
    if value <= 0 or largest <= 0:
        return ""
    return BAR * max(1, round(width * value / largest))


def _date(value: dt.datetime | dt.date) -> str:
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def _owner(item: BacklogItem) -> str:
    owner = item.owner
    if not owner.name:
        return "not named yet"
    text = md_text(owner.name)
    if owner.public and owner.contact:
        text += f" ({md_text(owner.contact)})"
    return text


def _header(doc: ExportDocument, subtitle: str = "") -> list[str]:
    w = doc.workshop
    title = md_text(w.title) + (f": {subtitle}" if subtitle else "")
    return [f"# {title}", "", f"*Workshop {md_text(w.code)}, report of {_date(doc.exported_at)}.*", ""]


def render_markdown(doc: ExportDocument, *, now: dt.datetime | None = None) -> str:
    """The public report. Follow-up flags are computed as of ``now`` (default: the export time)."""
    when = now or doc.exported_at
    w = doc.workshop
    currency = w.settings.currency
    dots = idea_dots(doc)
    names = {p.id: p.name for p in doc.participants}
    visible = [i for i in doc.ideas if idea_status(i) == "visible"]
    out = _header(doc)

    out += ["## The challenge", ""]
    out += [md_text(w.prompt) if w.prompt.strip() else "*No challenge prompt was set.*", ""]

    out += ["## Participation", ""]
    out += ["| People | Notes | Dots | Themes |", "|---:|---:|---:|---:|"]
    out += [f"| {len(doc.participants)} | {len(visible)} | {sum(dots.values())} | {len(doc.themes)} |", ""]

    out += ["## Top ideas", ""]
    ranked = top_ideas(doc, TOP_IDEAS)
    themes = {t.id: t.name for t in doc.themes}
    if ranked:
        largest = ranked[0][1]
        out += ["| # | Idea | Theme | Dots | |", "|---:|---|---|---:|---|"]
        for n, (idea, count) in enumerate(ranked, start=1):
            theme = md_text(themes.get(idea.theme_id or "", "")) or "–"
            out.append(f"| {n} | {md_text(idea.text)} | {theme} | {count} | {bar(count, largest)} |")
    else:
        out.append("*No ideas on the wall.*")
    out.append("")

    if doc.themes:
        out += ["## Themes", "", "| Theme | Notes | Dots |", "|---|---:|---:|"]
        notes: Counter[str] = Counter()
        theme_dots: Counter[str] = Counter()
        for idea in visible:
            if idea.theme_id:
                notes[idea.theme_id] += 1
                theme_dots[idea.theme_id] += dots[idea.id]
        for t in doc.themes:
            out.append(f"| {md_text(t.name)} | {notes[t.id]} | {theme_dots[t.id]} |")
        out.append("")

    if doc.teams:
        out += ["## Teams", ""]
        ideas = {i.id: i for i in doc.ideas}
        for n, team in enumerate(_teams_in_order(doc), start=1):
            team_idea = ideas.get(team.idea_id)
            label = md_text(team_idea.text if team_idea else team.name)
            out += [f"### Team {n}: {label}", ""]
            champion = names.get(team.champion_id or "")
            out.append(f"- Champion: {md_text(champion) if champion else 'none yet'}")
            members = ", ".join(md_text(names[m]) for m in team.member_ids if m in names)
            out.append(f"- Members ({len(team.member_ids)}): {members or 'none'}")
            out.append("")

    out += _backlog_section(doc, when, currency)
    out += _ledger_section(doc, when)
    return "\n".join(out).rstrip("\n") + "\n"


def _ledger_section(doc: ExportDocument, when: dt.datetime) -> list[str]:
    """The promise ledger: whether the follow-up the room was promised is happening."""
    if not doc.backlog:
        return []
    ledger = promise_ledger(doc.workshop, doc.backlog, when)
    return [
        "## Promises kept",
        "",
        f"- Reviews held on time: {ledger.reviews_on_time} of {ledger.reviews} ({ledger.reviews_late} late)",
        f"- Reviews overdue now: {ledger.overdue}; asks to departments overdue: {ledger.asks_overdue}",
        f"- Prototypes moved forward in the last {ledger.stale_days} days: {ledger.moved_forward}; "
        f"stalled: {ledger.stalled}; parked: {ledger.parked}",
        f"- Adopted by the city: {ledger.adopted}; dropped: {ledger.dropped}",
        "",
    ]


def _backlog_section(doc: ExportDocument, when: dt.datetime, currency: str) -> list[str]:
    out = ["## Prototype backlog", ""]
    if not doc.backlog:
        return [*out, "*No prototypes in the backlog yet.*", ""]
    totals = {status: Decimal(0) for status in BudgetStatus}
    for item in doc.backlog:
        for status, amount in item_budget(item).items():
            totals[status] += amount
    pool = doc.workshop.settings.budget_pool
    committed = totals[BudgetStatus.APPROVED] + totals[BudgetStatus.SPENT]
    out += [
        f"Budget ({currency}): {money(totals[BudgetStatus.REQUESTED])} requested, "
        f"{money(totals[BudgetStatus.APPROVED])} approved, {money(totals[BudgetStatus.SPENT])} spent, "
        f"of a pool of {money(pool)} ({money(pool - committed)} left).",
        "",
    ]
    for item in backlog_in_order(doc):
        out += [f"### {md_text(item.title)}", ""]
        if item.problem.strip() and " ".join(item.problem.split()) != " ".join(item.title.split()):
            out += [md_text(item.problem), ""]
        out.append(f"- Status: **{item.status.value}** · Owner: {_owner(item)} · Dots: {item.dots}")
        review = item.next_review.isoformat() if item.next_review else "not planned"
        out.append(f"- Next review: {review}")
        for flag in needs_attention(item, when):
            out.append(f"- ⚠ {md_text(flag)}")
        if item.budget_requests:
            out.append("- Budget:")
            for req in item.budget_requests:
                purpose = f" for {md_text(req.purpose)}" if req.purpose else ""
                out.append(f"  - {money(req.amount)} {req.currency}{purpose} ({req.status.value})")
        if item.asks:
            out.append("- Asks to the city:")
            for ask in item.asks:
                detail = f": {md_text(ask.detail)}" if ask.detail else ""
                out.append(
                    f"  - {ask.kind.value} from {md_text(ask.department)}{detail} ({_ask_progress(ask, when.date())})"
                )
                if ask.answer.strip():
                    out.append(f"    - Answer: {md_text(ask.answer)}")
        if item.history:
            out.append("- Follow-up:")
            for h in item.history:
                step = f"{h.from_.value} → {h.to.value}" if h.from_ and h.from_ != h.to else h.to.value
                note = f": {md_text(h.note)}" if h.note else ""
                out.append(f"  - {_date(h.at)} {step}{note}")
        out.append("")

    departments = asks_by_department(doc.backlog, when.date())
    if departments:
        out += [
            "## Asks per department",
            "",
            "| Department | Asked | Answered | Median days to answer | Overdue | Still open | Kinds |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for dept in departments:
            kinds = ", ".join(sorted({a.kind.value for a in dept.asks}))
            out.append(
                f"| {md_text(dept.department)} | {dept.asked} | {dept.answered} | {_median(dept)} | "
                f"{dept.overdue} | {dept.open + dept.in_progress} | {kinds} |"
            )
        out.append("")

    reviews = sorted((i for i in doc.backlog if i.next_review), key=lambda i: (i.next_review, i.title))
    if reviews:
        out += ["## Next reviews", "", "| Date | Prototype | Status | |", "|---|---|---|---|"]
        for item in reviews:
            assert item.next_review is not None
            late = "overdue" if review_overdue(item, when.date()) else ""
            out.append(f"| {item.next_review.isoformat()} | {md_text(item.title)} | {item.status.value} | {late} |")
        out.append("")
    return out


def _ask_progress(ask: Ask, today: dt.date) -> str:
    """The ask's status with its promise: ``open; due 2026-03-01, overdue`` or ``granted; answered 2026-03-02``."""
    parts = [ask.status.value]
    if ask.answered_at is not None:
        parts.append(f"answered {ask.answered_at.isoformat()}")
    elif ask.due is not None:
        parts.append(f"due {ask.due.isoformat()}" + (", overdue" if ask.overdue(today) else ""))
    return "; ".join(parts)


def _median(dept: DepartmentAsks) -> str:
    days = dept.median_days_to_answer
    return "–" if days is None else f"{days:g}"


def _teams_in_order(doc: ExportDocument) -> list[Team]:
    """Teams by their idea's dots, most first (then the earlier idea): the order of the wall's ranking."""
    dots = idea_dots(doc)
    posted = {i.id: (i.created_at, i.id) for i in doc.ideas}
    return sorted(doc.teams, key=lambda t: (-dots[t.idea_id], posted.get(t.idea_id, (doc.exported_at, "")), t.name))


def backlog_in_order(doc: ExportDocument) -> list[BacklogItem]:
    """Oldest first; items created together (one conversion) by dots, most first, then title."""
    return sorted(doc.backlog, key=lambda i: (i.created_at, -i.dots, i.title, i.id))


def _by_department(doc: ExportDocument) -> dict[str, list[tuple[BacklogItem, Ask]]]:
    """Department (first spelling seen, grouped case-insensitively) -> (item, ask), alphabetically."""
    groups: dict[str, list[tuple[BacklogItem, Ask]]] = {}
    spelling: dict[str, str] = {}
    for item in backlog_in_order(doc):
        for ask in item.asks:
            key = " ".join(ask.department.split()).casefold()
            name = spelling.setdefault(key, " ".join(ask.department.split()) or "(no department)")
            groups.setdefault(name, []).append((item, ask))
    return dict(sorted(groups.items(), key=lambda kv: kv[0].casefold()))


def render_by_department(doc: ExportDocument, *, now: dt.datetime | None = None) -> str:
    """What each department is asked for, how it answered, with the budget the asking prototypes requested.
    Overdue asks are those past due as of ``now`` (default: the export time)."""
    today = (now or doc.exported_at).date()
    currency = doc.workshop.settings.currency
    out = _header(doc, "asks to city departments")
    departments = _by_department(doc)
    if not departments:
        return "\n".join([*out, "*No asks to city departments.*"]) + "\n"
    figures = {d.department.casefold(): d for d in asks_by_department(doc.backlog, today)}
    for name, pairs in departments.items():
        out += [f"## {md_text(name)}", ""]
        dept = figures[name.casefold()]
        out += [
            f"Asked {dept.asked}, answered {dept.answered}, overdue {dept.overdue}; "
            f"median days to answer: {_median(dept)}.",
            "",
        ]
        items = list({item.id: item for item, _ in pairs}.values())
        requested = sum((item_budget(i)[BudgetStatus.REQUESTED] for i in items), Decimal(0))
        approved = sum((item_budget(i)[BudgetStatus.APPROVED] for i in items), Decimal(0))
        n = len(items)
        out += [
            f"{len(pairs)} ask{'s' if len(pairs) != 1 else ''} from {n} prototype{'s' if n != 1 else ''}; "
            f"budget these prototypes requested: {money(requested)} {currency} "
            f"(and {money(approved)} {currency} already approved).",
            "",
            "| Kind | Detail | Status | Due | Answer | Prototype | Prototype status | Owner |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for item, ask in pairs:
            owner = md_text(item.owner.name) if item.owner.public and item.owner.name else "–"
            due = ask.due.isoformat() if ask.due else "–"
            if ask.overdue(today):
                due += " (overdue)"
            answer = md_text(ask.answer) or "–"
            if ask.answered_at is not None:
                answer = f"{ask.answered_at.isoformat()}: {answer}"
            out.append(
                f"| {ask.kind.value} | {md_text(ask.detail) or '–'} | {ask.status.value} | {due} | {answer} | "
                f"{md_text(item.title)} | {item.status.value} | {owner} |"
            )
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
