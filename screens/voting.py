"""Voting: open/close the ballot, live progress of dots cast, results hidden until revealed, then a
ranked bar chart for the projector. Paper dots can be added to the highlighted idea.

The ballot never opens by itself: entering the vote phase shows the ideas and "opens soon" on the
phones, so the facilitator can explain the rules; ``o`` opens it (and closes it again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from babel.support import NullTranslations
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, ProgressBar, Static

from screens.audience import room_texts, with_bold_count
from screens.confirm import ConfirmScreen
from screens.events import DomainEvents
from screens.session import SessionScreen
from screens.text_prompt import TextPromptScreen
from screens.widgets.bar_chart import BarChart, ChartRow
from screens.widgets.session_bar import SessionBar
from screens.widgets.steady_footer import SteadyFooter
from screens.widgets.text_update import update_text
from workshop_tui import events as ev
from workshop_tui.actions import ACTIONS, Action
from workshop_tui.errors import Invalid, WorkshopError
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

if TYPE_CHECKING:
    from workshop_tui.service.queries import Readiness

#: The events that change the chart's rows while the results are hidden (revealed, a dot does too):
#: a dot cast (hundreds a second while the ballot is open) changes only the counts above it.
CHART_EVENTS = (ev.IdeaPosted, ev.IdeaChanged, ev.ThemeChanged, ev.VotingChanged, ev.PhaseChanged, ev.WorkshopUpdated)

ACTION_PHASES: dict[str, frozenset[Phase]] = {
    "open_voting": ACTIONS[Action.TOGGLE_VOTING].phases,
    "close_voting": ACTIONS[Action.TOGGLE_VOTING].phases,
    "toggle_results": ACTIONS[Action.REVEAL_RESULTS].phases,
    "paper_dots": ACTIONS[Action.PAPER_DOTS].phases,
}


class VotingScreen(SessionScreen):
    CSS_PATH = "voting.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_voting", "Open the ballot"),
        Binding("o", "close_voting", "Close the ballot"),
        Binding("r", "toggle_results", "Reveal/hide results"),
        Binding("p", "paper_dots", "Paper dots"),
    ]

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__(service, code)

    def compose(self) -> ComposeResult:
        yield SessionBar(self.service, self.code)
        with Horizontal(id="vote-status"):
            with Vertical(id="state-box"):
                yield Static("", id="voting-state", markup=False)
                yield Static("", id="not-voted", markup=False)
                yield Static("", id="paper-line", markup=False)
            with Vertical(id="progress-box"):
                with Horizontal(id="dots-line"):
                    yield Digits("0", id="dots-cast")
                    yield Static("", id="dots-available", markup=False)
                yield ProgressBar(total=1, show_eta=False, id="progress")
        yield Static("", id="chart-title", markup=False)
        yield BarChart(id="chart")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.refresh_all()
        self.query_one(BarChart).focus()

    # ------------------------------------------------------------------ data

    def tally(self) -> tuple[int, int, int]:
        """(phone dots cast, dots available, paper dots)."""
        view = self.service.view(self.code)
        phone = view.phone_dots()
        available = len(view.participants) * view.settings.dots_per_participant
        return phone, available, view.dots_cast() - phone

    def refresh_all(self, *, chart: bool = True) -> None:
        """The ballot's state and counts; the chart too unless ``chart`` is False (one row per idea)."""
        state = self.service.view(self.code)
        w = state.workshop
        phone, available, paper = self.tally()
        status = self.query_one("#voting-state", Static)
        status.set_class(w.voting_open, "-open")
        tr = room_texts(self.service, self.code)  # the room reads this screen: its language
        if w.voting_open:
            label = tr.gettext("VOTING OPEN")
        elif phone == 0 and not w.results_revealed:
            label = tr.gettext("BALLOT NOT OPEN YET") + " · o opens it"  # the key is the facilitator's
        else:
            label = tr.gettext("VOTING CLOSED")
        update_text(status, Text(label, style="bold"))
        opened = w.voting_open or phone > 0 or w.results_revealed  # the ballot has been open at some time
        not_done = _not_done(tr, state.readiness() if opened else None, w.voting_open)
        update_text(self.query_one("#not-voted", Static), not_done)
        paper_line = tr.ngettext("+ {count} paper dot in the tally", "+ {count} paper dots in the tally", paper)
        update_text(self.query_one("#paper-line", Static), Text(paper_line.format(count=paper)) if paper else Text(""))
        self.query_one("#dots-cast", Digits).update(str(phone))
        update_text(self.query_one("#dots-available", Static), Text(f" / {available}\n " + tr.gettext("dots cast")))
        self.query_one(ProgressBar).update(total=max(available, 1), progress=min(phone, max(available, 1)))
        if chart:
            self._refresh_chart(tr)

    def _refresh_chart(self, tr: NullTranslations) -> None:
        state = self.service.view(self.code)
        w = state.workshop
        chart = self.query_one(BarChart)
        if w.results_revealed:
            ranking = self.service.ranking(self.code)
            rows = [ChartRow(i.id, i.text, d) for i, d in ranking]
            self.query_one("#chart-title", Static).update(Text(tr.gettext("Results: most dots first"), style="bold"))
        else:
            ideas = list(state.visible_ideas())
            rows = [ChartRow(i.id, i.text, 0) for i in ideas]
            self.query_one("#chart-title", Static).update(
                Text(tr.gettext("Results hidden until revealed (r). Ideas on the wall:"), style="bold")
            )
        chart.show(rows, w.results_revealed)

    def on_domain_events(self, message: DomainEvents) -> None:
        mine = message.for_workshop(self.workshop_id)
        if not mine:
            return
        if any(isinstance(e, ev.PhaseChanged | ev.VotingChanged) for e in mine):
            self.refresh_bindings()
        revealed = self.service.view(self.code).workshop.results_revealed
        chart = (*CHART_EVENTS, ev.VoteChanged) if revealed else CHART_EVENTS  # hidden, a dot moves no bar
        self.refresh_all(chart=any(isinstance(e, chart) for e in mine))

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = ACTION_PHASES.get(action)
        if allowed is None:
            return True
        w = self.service.view(self.code).workshop
        if w.phase not in allowed:
            return False
        if action == "paper_dots" and self.query_one(BarChart).selected_id() is None:
            return None
        if action in ("open_voting", "close_voting"):
            return w.voting_open == (action == "close_voting")
        return True

    def _fail(self, exc: WorkshopError) -> None:
        self.notify(terminal_safe(str(exc)), title="Not done", severity="error", markup=False)

    async def action_open_voting(self) -> None:
        await self._set_open(True)

    async def action_close_voting(self) -> None:
        await self._set_open(False)

    async def _set_open(self, voting_open: bool) -> None:
        try:
            await self.service.set_voting(self.code, voting_open=voting_open)
        except WorkshopError as exc:
            self._fail(exc)

    def action_toggle_results(self) -> None:
        w = self.service.view(self.code).workshop
        if w.results_revealed:
            self.run_worker(self._set_revealed(False), exclusive=True)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._set_revealed(True), exclusive=True)

        self.app.push_screen(
            ConfirmScreen("Reveal the results on the projector?", "Everyone in the room will see the ranking."),
            answered,
        )

    async def _set_revealed(self, revealed: bool) -> None:
        try:
            await self.service.set_voting(self.code, results_revealed=revealed)
        except WorkshopError as exc:
            self._fail(exc)

    def action_paper_dots(self) -> None:
        idea_id = self.query_one(BarChart).selected_id()
        if idea_id is None:
            return
        idea = self.service.view(self.code).ideas[idea_id]

        async def submit(value: str) -> None:
            try:
                dots = int(value)
            except ValueError:
                raise Invalid("type a whole number of dots (negative corrects a miscount)") from None
            if dots == 0:
                raise Invalid("type a number other than 0")
            await self.service.add_paper_dots(self.code, idea_id, dots)

        self.app.push_screen(
            TextPromptScreen(
                "Paper dots for this idea", integer=True, submit=submit, context=Text(terminal_safe(idea.text))
            )
        )


def _not_done(tr: NullTranslations, ready: Readiness | None, voting_open: bool) -> Text:
    """The session bar's count with the room's size: those who have neither placed every dot nor said
    they are done (blocked people aside). While the ballot is open they are "still voting", the bar's
    words; once it is closed, they "did not finish voting" (the bar then says nothing)."""
    if ready is None or not ready.people:
        return Text("")
    if not ready.waiting:
        return Text(tr.ngettext("all {count} done", "all {count} done", ready.people).format(count=ready.people))
    if voting_open:
        template = tr.ngettext("{count} of {people} still voting", "{count} of {people} still voting", ready.waiting)
    else:
        template = tr.ngettext(
            "{count} of {people} did not finish voting", "{count} of {people} did not finish voting", ready.waiting
        )
    return with_bold_count(template, ready.waiting, people=ready.people)
