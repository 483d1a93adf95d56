"""The Markdown report for the city website, and the per-department digest.

Everything people typed (notes, titles, names, notes in the history, even the prompt) goes through
:func:`md_text`: control, escape and bidi characters become the projector's visible placeholders
(``text_safety.file_safe``, emoji kept, before any escaping, so what is escaped is what is printed), whitespace is
collapsed to one line, HTML is escaped to entities and Markdown's
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
from collections.abc import Callable
from decimal import Decimal

from workshop_tui import i18n
from workshop_tui.backlog import department_name, last_update, overdue_asks, review_overdue, stale
from workshop_tui.backlog_ledger import DepartmentAsks, asks_by_department, promise_ledger
from workshop_tui.export_json import ExportDocument, idea_dots, idea_status, item_budget, theme_tally, top_ideas
from workshop_tui.locales import N_
from workshop_tui.models import Ask, BacklogItem, BudgetStatus, Team
from workshop_tui.report_words import Words
from workshop_tui.text_safety import file_safe

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
    line = " ".join(file_safe(text).split())
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


def _owner(item: BacklogItem, w: Words) -> str:
    owner = item.owner
    if not owner.name:
        return w.tr.gettext("not named yet")
    text = md_text(owner.name)
    if owner.public and owner.contact:
        text += f" ({md_text(owner.contact)})"
    return text


def _header(doc: ExportDocument, words: Words, subtitle: str = "") -> list[str]:
    w = doc.workshop
    title = md_text(w.title) + (f": {subtitle}" if subtitle else "")
    day = i18n.date(doc.exported_at.date(), words.lang)
    line = words.tr.gettext("Workshop {code}, report of {date}.").format(code=md_text(w.code), date=day)
    return [f"# {title}", "", f"*{line}*", ""]


def render_markdown(doc: ExportDocument, *, now: dt.datetime | None = None) -> str:
    """The public report. Follow-up flags are computed as of ``now`` (default: the export time)."""
    when = now or doc.exported_at
    w = doc.workshop
    currency = w.settings.currency
    dots = idea_dots(doc)
    names = {p.id: p.name for p in doc.participants}
    visible = [i for i in doc.ideas if idea_status(i) == "visible"]
    words = Words(w.language)
    tr = words.tr
    out = _header(doc, words)

    out += ["## " + tr.gettext("The challenge"), ""]
    out += [md_text(w.prompt) if w.prompt.strip() else "*" + tr.gettext("No challenge prompt was set.") + "*", ""]

    out += ["## " + tr.gettext("Participation"), ""]
    out += [
        _row(tr.gettext("People"), tr.gettext("Notes"), tr.gettext("Dots"), tr.gettext("Themes")),
        "|---:|---:|---:|---:|",
    ]
    out += [f"| {len(doc.participants)} | {len(visible)} | {sum(dots.values())} | {len(doc.themes)} |", ""]

    out += ["## " + tr.gettext("Top ideas"), ""]
    ranked = top_ideas(doc, TOP_IDEAS)
    themes = {t.id: t.name for t in doc.themes}
    if ranked:
        largest = ranked[0][1]
        out += [_row("#", tr.gettext("Idea"), tr.gettext("Theme"), tr.gettext("Dots"), ""), "|---:|---|---|---:|---|"]
        for n, (idea, count) in enumerate(ranked, start=1):
            theme = md_text(themes.get(idea.theme_id or "", "")) or "–"
            out.append(f"| {n} | {md_text(idea.text)} | {theme} | {count} | {bar(count, largest)} |")
    else:
        out.append("*" + tr.gettext("No ideas on the wall.") + "*")
    out.append("")

    if doc.themes:
        out += ["## " + tr.gettext("Themes"), ""]
        out += [_row(tr.gettext("Theme"), tr.gettext("Notes"), tr.gettext("Dots")), "|---|---:|---:|"]
        tally = theme_tally(doc)
        for t in doc.themes:
            out.append(f"| {md_text(t.name)} | {tally.notes[t.id]} | {tally.dots[t.id]} |")
        out.append("")

    if doc.teams:
        out += ["## " + tr.gettext("Teams"), ""]
        ideas = {i.id: i for i in doc.ideas}
        for n, team in enumerate(_teams_in_order(doc), start=1):
            team_idea = ideas.get(team.idea_id)
            label = md_text(team_idea.text if team_idea else team.name)
            out += ["### " + tr.gettext("Team {number}: {idea}").format(number=n, idea=label), ""]
            champion = names.get(team.champion_id or "")
            who = md_text(champion) if champion else tr.gettext("none yet")
            out.append("- " + tr.gettext("Champion: {name}").format(name=who))
            members = ", ".join(md_text(names[m]) for m in team.member_ids if m in names)
            out.append(
                "- "
                + tr.gettext("Members ({count}): {names}").format(
                    count=len(team.member_ids), names=members or tr.gettext("none")
                )
            )
            out.append("")

    out += _backlog_section(doc, when, currency, words)
    out += _ledger_section(doc, when, words)
    return "\n".join(out).rstrip("\n") + "\n"


def _ledger_section(doc: ExportDocument, when: dt.datetime, words: Words) -> list[str]:
    """The promise ledger: whether the follow-up the room was promised is happening."""
    if not doc.backlog:
        return []
    tr = words.tr
    ledger = promise_ledger(doc.workshop, doc.backlog, when)
    return [
        "## " + tr.gettext("Promises kept"),
        "",
        "- "
        + tr.gettext("Reviews held on time: {on_time} of {reviews} ({late} late)").format(
            on_time=ledger.reviews_on_time, reviews=ledger.reviews, late=ledger.reviews_late
        ),
        "- "
        + tr.gettext("Reviews overdue now: {reviews}; asks to departments overdue: {asks}").format(
            reviews=ledger.overdue, asks=ledger.asks_overdue
        ),
        "- "
        + tr.gettext(
            "Prototypes moved forward in the last {days} days: {moved}; stalled: {stalled}; parked: {parked}"
        ).format(days=ledger.stale_days, moved=ledger.moved_forward, stalled=ledger.stalled, parked=ledger.parked),
        "- "
        + tr.gettext("Adopted by the city: {adopted}; dropped: {dropped}").format(
            adopted=ledger.adopted, dropped=ledger.dropped
        ),
        "",
    ]


def _backlog_section(doc: ExportDocument, when: dt.datetime, currency: str, words: Words) -> list[str]:
    tr = words.tr
    out = ["## " + tr.gettext("Prototype backlog"), ""]
    if not doc.backlog:
        return [*out, "*" + tr.gettext("No prototypes in the backlog yet.") + "*", ""]
    out += [_budget_line(doc, currency, words), ""]
    for item in backlog_in_order(doc):
        out += _item_lines(item, when, words)
    return out + _departments_table(doc, when, words) + _reviews_table(doc, when, words)


def _budget_line(doc: ExportDocument, currency: str, words: Words) -> str:
    totals = {status: Decimal(0) for status in BudgetStatus}
    for item in doc.backlog:
        for status, amount in item_budget(item).items():
            totals[status] += amount
    pool = doc.workshop.settings.budget_pool
    committed = totals[BudgetStatus.APPROVED] + totals[BudgetStatus.SPENT]
    cash = words.money
    return words.tr.gettext(
        "Budget: {requested} requested, {approved} approved, {spent} spent, of a pool of {pool} ({left} left)."
    ).format(
        requested=cash(totals[BudgetStatus.REQUESTED], currency),
        approved=cash(totals[BudgetStatus.APPROVED], currency),
        spent=cash(totals[BudgetStatus.SPENT], currency),
        pool=cash(pool, currency),
        left=cash(pool - committed, currency),
    )


def _item_lines(item: BacklogItem, when: dt.datetime, words: Words) -> list[str]:
    """One prototype: its problem, status, owner, review, flags, budget, asks and follow-up."""
    tr, cash = words.tr, words.money
    out = [f"### {md_text(item.title)}", ""]
    if item.problem.strip() and " ".join(item.problem.split()) != " ".join(item.title.split()):
        out += [md_text(item.problem), ""]
    out.append(
        "- "
        + tr.gettext("Status: **{status}** · Owner: {owner} · Dots: {dots}").format(
            status=words.label(item.status), owner=_owner(item, words), dots=item.dots
        )
    )
    review = words.day(item.next_review) if item.next_review else tr.gettext("not planned")
    out.append("- " + tr.gettext("Next review: {date}").format(date=review))
    out += [f"- ⚠ {flag}" for flag in flags(item, when, words)]
    if item.budget_requests:
        out.append("- " + tr.gettext("Budget:"))
        for req in item.budget_requests:
            shown = cash(req.amount, req.currency)
            purpose = " " + tr.gettext("for {purpose}").format(purpose=md_text(req.purpose)) if req.purpose else ""
            out.append(f"  - {shown}{purpose} ({words.label(req.status)})")
    if item.asks:
        out.append("- " + tr.gettext("Asks to the city:"))
        for ask in item.asks:
            detail = f": {md_text(ask.detail)}" if ask.detail else ""
            what = tr.gettext("{kind} from {department}").format(
                kind=words.label(ask.kind), department=md_text(ask.department)
            )
            out.append(f"  - {what}{detail} ({_ask_progress(ask, when.date(), words)})")
            if ask.answer.strip():
                out.append("    - " + tr.gettext("Answer: {answer}").format(answer=md_text(ask.answer)))
    if item.history:
        out.append("- " + tr.gettext("Follow-up:"))
        for h in item.history:
            to = words.label(h.to)
            step = f"{words.label(h.from_)} → {to}" if h.from_ and h.from_ != h.to else to
            note = f": {md_text(h.note)}" if h.note else ""
            out.append(f"  - {words.day(h.at)} {step}{note}")
    out.append("")
    return out


def _departments_table(doc: ExportDocument, when: dt.datetime, words: Words) -> list[str]:
    tr = words.tr
    out: list[str] = []
    departments = asks_by_department(doc.backlog, when.date())
    if departments:
        heads = (
            N_("Department"),
            N_("Asked"),
            N_("Answered"),
            N_("Median days to answer"),
            N_("Overdue"),
            N_("Still open"),
            N_("Kinds"),
        )
        out += [
            "## " + tr.gettext("Asks per department"),
            "",
            _row(*(tr.gettext(h) for h in heads)),
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for dept in departments:
            kinds = ", ".join(sorted({words.label(a.kind) for a in dept.asks}))
            out.append(
                f"| {md_text(dept.department)} | {dept.asked} | {dept.answered} | {_median(dept)} | "
                f"{dept.overdue} | {dept.open + dept.in_progress} | {kinds} |"
            )
        out.append("")
    return out


def _reviews_table(doc: ExportDocument, when: dt.datetime, words: Words) -> list[str]:
    tr = words.tr
    out: list[str] = []
    reviews = sorted((i for i in doc.backlog if i.next_review), key=lambda i: (i.next_review, i.title))
    if reviews:
        out += ["## " + tr.gettext("Next reviews"), ""]
        out += [_row(tr.gettext("Date"), tr.gettext("Prototype"), tr.gettext("Status"), ""), "|---|---|---|---|"]
        for item in reviews:
            assert item.next_review is not None
            late = tr.gettext("overdue") if review_overdue(item, when.date()) else ""
            day, label = words.day(item.next_review), words.label(item.status)
            out.append(f"| {day} | {md_text(item.title)} | {label} | {late} |")
        out.append("")
    return out


def flags(item: BacklogItem, when: dt.datetime, words: Words, escape: Callable[[str], str] = md_text) -> list[str]:
    """``backlog.needs_attention``'s flags (the same rules) in ``words``' language, department names escaped
    by ``escape`` (Markdown here; the site's templates escape for HTML themselves)."""
    tr = words.tr
    out = []
    if item.next_review is not None and review_overdue(item, when.date()):
        out.append(tr.gettext("review was due {date}").format(date=words.day(item.next_review)))
    for ask in overdue_asks(item, when.date()):
        assert ask.due is not None
        department = escape(department_name(ask))
        out.append(
            tr.gettext("ask to {department} was due {date}").format(department=department, date=words.day(ask.due))
        )
    if stale(item, when):
        days = (when - last_update(item)).days
        out.append(tr.ngettext("no update for {count} day", "no update for {count} days", days).format(count=days))
    return out


def _ask_progress(ask: Ask, today: dt.date, words: Words) -> str:
    """``backlog.ask_progress`` in the report's words: ``open, due Mar 1, 2026, overdue``."""
    tr = words.tr
    parts = [words.label(ask.status)]
    if ask.answered_at is not None:
        parts.append(tr.gettext("answered {date}").format(date=words.day(ask.answered_at)))
    elif ask.due is not None:
        due = tr.gettext("due {date}").format(date=words.day(ask.due))
        parts.append(due + (", " + tr.gettext("overdue") if ask.overdue(today) else ""))
    return ", ".join(parts)  # as backlog.ask_progress: lists of asks are joined with semicolons


def _row(*cells: str) -> str:
    """A table's header row; an empty cell is written ``| |`` as before."""
    return ("| " + " | ".join(cells) + " |").replace("|  |", "| |")


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
    words = Words(doc.workshop.language)
    tr = words.tr
    out = _header(doc, words, tr.gettext("asks to city departments"))
    departments = _by_department(doc)
    if not departments:
        return "\n".join([*out, "*" + tr.gettext("No asks to city departments.") + "*"]) + "\n"
    figures = {d.department.casefold(): d for d in asks_by_department(doc.backlog, today)}
    heads = (
        N_("Kind"),
        N_("Detail"),
        N_("Status"),
        N_("Due"),
        N_("Answer"),
        N_("Prototype"),
        N_("Prototype status"),
        N_("Owner"),
    )
    for name, pairs in departments.items():
        out += [f"## {md_text(name)}", ""]
        dept = figures[name.casefold()]
        out += [
            tr.gettext(
                "Asked {asked}, answered {answered}, overdue {overdue}; median days to answer: {median}."
            ).format(asked=dept.asked, answered=dept.answered, overdue=dept.overdue, median=_median(dept)),
            "",
        ]
        items = list({item.id: item for item, _ in pairs}.values())
        requested = sum((item_budget(i)[BudgetStatus.REQUESTED] for i in items), Decimal(0))
        approved = sum((item_budget(i)[BudgetStatus.APPROVED] for i in items), Decimal(0))
        asks = tr.ngettext("{count} ask", "{count} asks", len(pairs)).format(count=len(pairs))
        prototypes = tr.ngettext("from {count} prototype", "from {count} prototypes", len(items))
        out += [
            tr.gettext(
                "{asks} {prototypes}; budget these prototypes requested: {requested} (and {approved} already approved)."
            ).format(
                asks=asks,
                prototypes=prototypes.format(count=len(items)),
                requested=words.money(requested, currency),
                approved=words.money(approved, currency),
            ),
            "",
            _row(*(tr.gettext(h) for h in heads)),
            "|---|---|---|---|---|---|---|---|",
        ]
        for item, ask in pairs:
            owner = md_text(item.owner.name) if item.owner.public and item.owner.name else "–"
            due = words.day(ask.due) if ask.due else "–"
            if ask.overdue(today):
                due += " (" + tr.gettext("overdue") + ")"
            answer = md_text(ask.answer) or "–"
            if ask.answered_at is not None:
                answer = f"{words.day(ask.answered_at)}: {answer}"
            out.append(
                f"| {words.label(ask.kind)} | {md_text(ask.detail) or '–'} | {words.label(ask.status)} | {due} | "
                f"{answer} | {md_text(item.title)} | {words.label(item.status)} | {owner} |"
            )
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
