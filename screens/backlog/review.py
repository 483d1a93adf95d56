"""A review meeting: step through the backlog items that are due, record each outcome in a key or two,
and end with the ledger of the meeting. Often projected in front of the departments.

The queue (overdue first, then by review date) and the meeting's ledger are the core's
(``workshop_tui.backlog.due_for_review`` and ``meeting_ledger``); every outcome is one call to
``WorkshopService.update_backlog_item`` (the one writer), stamped with the screen's clock, so a test can
freeze it. Typed text (titles, notes, departments, answers) reaches the screen only as ``Text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.backlog.editor import BacklogEditor
from screens.widgets.safe_input import SafeInput
from screens.widgets.steady_footer import SteadyFooter
from workshop_tui.backlog import FORWARD, item_flags, review_overdue
from workshop_tui.backlog_meetings import MeetingLedger, due_for_review, meeting_ledger
from workshop_tui.errors import WorkshopError
from workshop_tui.models import AskStatus, BacklogItem, BacklogStatus, utcnow
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

#: The review date an outcome proposes: two weeks on, as the backlog's first review is.
NEXT_REVIEW_DAYS = 14
STEP_DAYS = 7
HISTORY_SHOWN = 3


def ask_line(n: int, ask: Any, today: dt.date) -> Text:
    line = Text()
    line.append(f"{n}. ", style="bold")
    line.append(terminal_safe(ask.department) or "(no department)", style="bold")
    line.append(f" · {ask.kind.value} · ")
    line.append(ask.status.value, style="green" if ask.answered else "yellow")
    if ask.answered_at is not None:
        line.append(f" · answered {ask.answered_at.isoformat()}", style="green")
    elif ask.due is not None:
        late = ask.overdue(today)
        line.append(f" · due {ask.due.isoformat()}" + (" OVERDUE" if late else ""), style="bold red" if late else "")
    if ask.detail:
        line.append("\n   ")
        line.append(terminal_safe(ask.detail))
    if ask.answer:
        line.append("\n   ↳ ")
        line.append(terminal_safe(ask.answer), style="italic")
    return line


def item_text(item: BacklogItem, code: str, now: dt.datetime) -> Text:
    out = Text()
    out.append(f" {code} ", style="bold reverse")
    out.append("  ")
    out.append(terminal_safe(item.title), style="bold")
    out.append("\n\nStatus ")
    out.append(item.status.value, style="bold")
    if item.owner.name:
        out.append("  ·  owner ")
        out.append(terminal_safe(item.owner.name), style="bold")
    out.append("\nReview due ")
    due = item.next_review.isoformat() if item.next_review else "never set"
    out.append(due, style="bold red" if review_overdue(item, now.date()) else "bold")
    for reason in item_flags(item, now).reasons:
        out.append(f"\n⚑ {terminal_safe(reason)}", style="bold red")
    if item.history:
        out.append("\n\nLast updates", style="bold underline")
    for entry in item.history[-HISTORY_SHOWN:]:
        out.append(f"\n{entry.at.date().isoformat()}  ", style="bold")
        step = entry.to.value if entry.from_ in (None, entry.to) else f"{entry.from_.value} → {entry.to.value}"
        out.append(step)
        if entry.note:
            out.append("  ")
            out.append(terminal_safe(entry.note), style="italic")
    return out


def ledger_text(ledger: MeetingLedger, left: int) -> Text:
    out = Text()
    out.append(" Review meeting: the ledger ", style="bold reverse")
    out.append(f"\n\n{ledger.started_at.date().isoformat()}\n\n")

    def line(value: int, label: str, style: str = "bold") -> None:
        out.append(f"{value:>4} ", style=style)
        out.append(f"{label}\n")

    line(ledger.reviewed, "items reviewed")
    line(ledger.moved_forward, "moved forward", "bold green")
    line(ledger.stalled, "stalled (reviewed, no step forward)", "bold red" if ledger.stalled else "bold")
    line(ledger.parked, "parked")
    line(ledger.dropped, "dropped")
    line(ledger.asks_answered, "ask answered" if ledger.asks_answered == 1 else "asks answered", "bold green")
    if left:
        line(left, "due but not reviewed", "bold yellow")
    for item in ledger.items:
        out.append("\n• ")
        out.append(terminal_safe(item.title), style="bold")
        step = item.status_after.value
        if item.status_before != item.status_after:
            step = f"{item.status_before.value} → {item.status_after.value}"
        out.append(f"  {step}")
        if item.asks_answered:
            asks = "1 ask" if item.asks_answered == 1 else f"{item.asks_answered} asks"
            out.append(f"  · {asks} answered", style="green")
        if item.next_review:
            out.append(f"  · next review {item.next_review.isoformat()}")
    out.append("\n\nescape: back to the backlog", style="dim")
    return out


class ReviewScreen(Screen[MeetingLedger | None]):
    """One review meeting over the items due (of ``codes``, or of every workshop); dismisses with its
    ledger, or ``None`` when nothing was due."""

    DEFAULT_CSS = """
    ReviewScreen { layout: vertical; }
    ReviewScreen > #review-head { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    ReviewScreen > #review-item { height: auto; max-height: 60%; padding: 0 1; }
    ReviewScreen > #review-asks { height: auto; max-height: 40%; margin-top: 1; border: round $primary; }
    /* The asks keep their status colours when highlighted: a dark highlight, not the theme's yellow block. */
    ReviewScreen > #review-asks > .option-list--option-highlighted { background: $boost; color: $foreground; }
    ReviewScreen > #review-spacer { height: 1fr; }
    ReviewScreen > #review-outcome { height: 3; }
    ReviewScreen > #review-outcome > #review-date { width: auto; min-width: 30; padding: 1 1 0 1; }
    ReviewScreen > #review-outcome > #review-note { width: 1fr; }
    ReviewScreen > #review-ledger { display: none; height: 1fr; padding: 1 2; }
    ReviewScreen.-ended > #review-ledger { display: block; }
    ReviewScreen.-ended > #review-item, ReviewScreen.-ended > #review-asks,
    ReviewScreen.-ended > #review-spacer, ReviewScreen.-ended > #review-outcome { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "forward", "Move forward"),
        Binding("k", "keep", "Reviewed, no step"),
        Binding("p", "park", "Park"),
        Binding("plus,equals_sign", "later", "+1 week"),
        Binding("minus", "sooner", "-1 week"),
        Binding("g", "answer('granted')", "Ask granted"),
        Binding("x", "answer('declined')", "Ask declined"),
        Binding("a", "answer('')", "Ask answered"),
        Binding("n", "note", "Note"),
        Binding("right,s", "skip", "Skip"),
        Binding("left", "back_one", "Previous", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("escape", "end", "End meeting"),
        Binding("escape", "leave", "Back to the backlog"),  # once the meeting has ended
    ]

    def __init__(
        self,
        service: WorkshopService,
        codes: list[str] | None = None,
        *,
        now: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        super().__init__()
        self.service = service
        self.codes = codes
        self.now = now
        self.started_at = now()
        self.queue = due_for_review(self._items(), self.started_at.date())
        self.before = {item.id: item for item in self.queue}
        self.position = 0
        self.next_review = self._proposed_review()
        self.ended = False

    def _items(self) -> list[BacklogItem]:
        states = [self.service.view(c) for c in self.codes] if self.codes is not None else self.service.views()
        return [item for state in states for item in state.backlog.values()]

    def _proposed_review(self) -> dt.date:
        return self.now().date() + dt.timedelta(days=NEXT_REVIEW_DAYS)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="review-head")
        with VerticalScroll(id="review-item"):
            yield Static(id="review-item-body")
        yield OptionList(id="review-asks")
        yield Static(id="review-spacer")
        with Horizontal(id="review-outcome"):
            yield Static(id="review-date")
            yield SafeInput(placeholder="n: a note, or an ask's answer", id="review-note")
        yield Static(id="review-ledger")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#review-asks").border_title = "Asks to the city (↑↓ choose, g granted, x declined, a answered)"
        if not self.queue:
            self.end()
            return
        self.show_item()

    def current(self) -> BacklogItem | None:
        """The item under review, as the service has it now."""
        if not 0 <= self.position < len(self.queue):
            return None
        return self.service.find_backlog_item(self.queue[self.position].id)[1]

    def code_of(self, item: BacklogItem) -> str:
        return self.service.view(item.workshop).code

    def show_item(self) -> None:
        item = self.current()
        if item is None:
            self.end()
            return
        now = self.now()
        overdue = sum(1 for i in self.queue if review_overdue(i, now.date()) or item_flags(i, now).overdue_asks)
        head = Text()
        head.append(f"REVIEW MEETING  item {self.position + 1} of {len(self.queue)}")
        if overdue:
            head.append(f"  ·  {overdue} overdue, shown first", style="red")
        self.query_one("#review-head", Static).update(head)
        self.query_one("#review-item-body", Static).update(item_text(item, self.code_of(item), now))
        asks = self.query_one("#review-asks", OptionList)
        highlighted = asks.highlighted
        asks.clear_options()
        asks.add_options([Option(ask_line(n, a, now.date())) for n, a in enumerate(item.asks, start=1)])
        asks.display = bool(item.asks)
        if item.asks:
            asks.highlighted = min(highlighted or 0, len(item.asks) - 1)
        self.show_date()
        if not isinstance(self.focused, Input):
            asks.focus()

    def show_date(self) -> None:
        text = Text()
        text.append("Next review ")
        text.append(self.next_review.isoformat(), style="bold")
        text.append("  (+/- a week)", style="dim")
        self.query_one("#review-date", Static).update(text)

    # ------------------------------------------------------------------ outcomes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.ended:
            return action == "leave"
        if action == "leave":
            return False
        if action == "forward":
            item = self.current()
            return item is not None and item.status in FORWARD
        return True

    async def record(self, status: BacklogStatus | None, said: str) -> None:
        """Save the outcome of the item under review with the note and the new review date, then go on."""
        item = self.current()
        if item is None:
            return
        note_input = self.query_one("#review-note", SafeInput)
        note = "; ".join(x for x in (f"review meeting: {said}", note_input.value.strip()) if x)
        patch: dict[str, Any] = {"note": note, "next_review": self.next_review}
        if status is not None and status != item.status:
            patch["status"] = status
        if not await self.save(item, patch):
            return
        note_input.value = ""
        self.position += 1
        self.next_review = self._proposed_review()
        self.show_item()

    async def save(self, item: BacklogItem, patch: dict[str, Any]) -> bool:
        try:
            await self.service.update_backlog_item(item.id, patch, now=self.now())
        except WorkshopError as exc:
            self.notify(terminal_safe(exc.message), severity="error", markup=False)
            return False
        return True

    async def action_forward(self) -> None:
        item = self.current()
        if item is not None and item.status in FORWARD:
            await self.record(FORWARD[item.status], f"moved forward to {FORWARD[item.status].value}")

    async def action_keep(self) -> None:
        await self.record(None, "reviewed, no step forward")

    async def action_park(self) -> None:
        await self.record(BacklogStatus.PARKED, "parked")

    def action_later(self) -> None:
        self.next_review += dt.timedelta(days=STEP_DAYS)
        self.show_date()

    def action_sooner(self) -> None:
        # Never before tomorrow: a review date today or earlier would be overdue at once.
        self.next_review = max(
            self.now().date() + dt.timedelta(days=1), self.next_review - dt.timedelta(days=STEP_DAYS)
        )
        self.show_date()

    async def action_answer(self, status: str) -> None:
        """The highlighted ask is answered today (granted, declined, or just answered); the note, if typed,
        is the answer. Saved at once: an answer is not lost when the item is skipped."""
        item = self.current()
        index = self.query_one("#review-asks", OptionList).highlighted
        if item is None or index is None or not 0 <= index < len(item.asks):
            self.notify("No ask to answer on this item.", markup=False)
            return
        note_input = self.query_one("#review-note", SafeInput)
        ask = item.asks[index]
        update: dict[str, Any] = {"answered_at": self.now().date()}
        if status:
            update["status"] = AskStatus(status)
        elif ask.status == AskStatus.OPEN:  # an answer that decides nothing yet: the ask is being dealt with
            update["status"] = AskStatus.IN_PROGRESS
        if note_input.value.strip():
            update["answer"] = note_input.value.strip()
        asks = [a.model_dump(mode="json") for a in item.asks]
        asks[index] = ask.model_copy(update=update).model_dump(mode="json")
        if await self.save(item, {"asks": asks}):
            note_input.value = ""
            self.show_item()

    def action_note(self) -> None:
        self.query_one("#review-note", SafeInput).focus()

    @on(Input.Submitted, "#review-note")
    def _note_done(self) -> None:
        self.query_one("#review-asks", OptionList).focus()

    def action_skip(self) -> None:
        self.position += 1
        self.next_review = self._proposed_review()
        self.show_item()

    def action_back_one(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.show_item()

    def action_edit(self) -> None:
        item = self.current()
        if item is not None:
            self.app.push_screen(BacklogEditor(self.service, item.id, now=self.now), lambda _: self.show_item())

    # ------------------------------------------------------------------ the end

    def ledger(self) -> MeetingLedger:
        after = {item.id: item for item in self._items()}
        return meeting_ledger(self.before.values(), after, self.started_at)

    def end(self) -> None:
        self.ended = True
        self.add_class("-ended")
        self.query_one("#review-asks").display = False  # set inline while stepping: the class cannot hide it
        ledger = self.ledger()
        left = sum(1 for item in self.queue if item.id not in {i.item_id for i in ledger.items})
        if not self.queue:
            body = Text("Nothing is due for review: every review date is more than a week away.\n\n")
            body.append("escape: back to the backlog", style="dim")
            self.query_one("#review-ledger", Static).update(body)
        else:
            self.query_one("#review-ledger", Static).update(ledger_text(ledger, left))
        self.query_one("#review-head", Static).update(Text("REVIEW MEETING  ended"))
        self.refresh_bindings()

    def action_end(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#review-asks", OptionList).focus()
        else:
            self.end()

    def action_leave(self) -> None:
        self.dismiss(self.ledger() if self.queue else None)
