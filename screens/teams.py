"""Teams: the ideas teams form around, preferences arriving, the assignment and its adjustments.

Formed teams are a draft: phones keep ranking (and ``f`` can re-form with the new rankings) until the
facilitator publishes them with ``p``. The numbers under the header are recomputed from the teams as
they are now, so they follow manual moves; a team outside the size bounds is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Digits, Static

from screens.candidates import CandidatesScreen
from screens.confirm import ConfirmScreen
from screens.events import DomainEvents
from screens.session import SessionScreen
from screens.team_picker import TeamPickerScreen
from screens.widgets.big_code import BigCode
from screens.widgets.session_bar import SessionBar
from screens.widgets.steady_footer import SteadyFooter
from screens.widgets.text_update import update_text
from workshop_tui import events as ev
from workshop_tui.actions import ACTIONS, Action
from workshop_tui.counted import plural
from workshop_tui.errors import WorkshopError
from workshop_tui.models import Participant, Team
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.service.view import WorkshopView
from workshop_tui.text_safety import terminal_safe

CANDIDATE_LINES = (5, 7)  # ideas listed in the header: narrow screen, wide screen
NARROW_BELOW = 120  # columns: the screen's -narrow breakpoint (SessionScreen)
FLAG_NAME_WIDTH = 24  # cells of a team's name in a flag line
BIG_COUNT_SIZE = (160, 45)  # from this size on, the ranked count is drawn in the join code's big letters

#: The events that change the table's rows: a ranking arriving (a thousand of them while the room ranks)
#: changes only the counts above it, and rebuilding the table costs one row per person.
TABLE_EVENTS = (ev.TeamsChanged, ev.ParticipantJoined, ev.ParticipantBlocked, ev.WorkshopUpdated, ev.PhaseChanged)
# What the candidates box reads (the ideas, their dots, the choice, the reveal): not a ranking arriving,
# which is most batches here, and whose ranking of every note by dots costs milliseconds at 2,000 notes.
CANDIDATE_EVENTS = (
    ev.WorkshopUpdated, ev.VotingChanged, ev.IdeaPosted, ev.IdeaChanged, ev.VoteChanged, ev.PhaseChanged,
)  # fmt: skip

ACTION_PHASES: dict[str, frozenset[Phase]] = {
    "choose_candidates": ACTIONS[Action.CHOOSE_CANDIDATES].phases,
    "form_teams": ACTIONS[Action.FORM_TEAMS].phases,
    "publish_teams": ACTIONS[Action.PUBLISH_TEAMS].phases,
    "move_member": ACTIONS[Action.MOVE_MEMBER].phases,
    "make_champion": ACTIONS[Action.SET_CHAMPION].phases,
}


@dataclass(frozen=True)
class Seat:
    """One row of the teams table: a person in a team (team None: not in any team yet)."""

    team_id: str | None
    participant_id: str | None


class TeamsScreen(SessionScreen):
    CSS_PATH = "teams.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "choose_candidates", "Choose ideas"),
        Binding("f", "form_teams", "Form teams"),
        Binding("p", "publish_teams", "Publish to phones"),
        Binding("m", "move_member", "Move person"),
        Binding("k", "make_champion", "Champion"),
    ]

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__(service, code)
        self.error = ""
        self.seats: list[Seat] = []

    def compose(self) -> ComposeResult:
        yield SessionBar(self.service, self.code)
        with Horizontal(id="teams-top"):
            with Vertical(id="candidates-box"):
                yield Static(Text("Ideas teams form around", style="bold"), id="candidates-title", markup=False)
                yield Static("", id="candidates", markup=False)
            with Vertical(id="prefs-box"):
                yield Digits("0", id="prefs-count")
                yield BigCode("0", scale=1, id="prefs-big")  # instead of the digits on a big projector
                yield Static("", id="prefs-line", markup=False)
        yield Static("", id="explain", markup=False)
        table: DataTable[Text] = DataTable(id="teams-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._columns_width = -1
        self.refresh_all()
        self.query_one("#teams-table", DataTable).focus()

    def on_resize(self) -> None:
        big = self.size.width >= BIG_COUNT_SIZE[0] and self.size.height >= BIG_COUNT_SIZE[1]
        self.query_one("#prefs-count", Digits).display = not big
        self.query_one("#prefs-big", BigCode).display = big
        self.refresh_all()

    def _ensure_columns(self, table: DataTable[Text]) -> None:
        """Fixed widths from the screen's width, so the member and role columns always show."""
        width = self.size.width
        if width == self._columns_width:
            return
        self._columns_width = width
        member = 24 if width >= 120 else 16
        team = max(16, width - member - 12 - 8)
        table.clear(columns=True)
        table.add_column(Text("Team (idea)", style="bold"), key="team", width=team)
        table.add_column(Text("Member", style="bold"), key="member", width=member)
        table.add_column(Text("Role", style="bold"), key="role", width=10)

    # ------------------------------------------------------------------ data

    def _teams_in_order(self) -> list[Team]:
        state = self.service.view(self.code)
        order = {idea_id: n for n, idea_id in enumerate(state.workshop.team_candidates)}
        return sorted(state.teams.values(), key=lambda t: (order.get(t.idea_id, len(order)), t.name, t.id))

    def refresh_all(self, *, table: bool = True, candidates: bool = True) -> None:
        """The counts and the explanation; the table (rebuilt whole) and the candidates box unless False."""
        state = self.service.view(self.code)
        w = state.workshop
        if candidates:
            update_text(self.query_one("#candidates", Static), self._candidate_lines(w.team_candidates))
        people = len(state.participants)
        ranked = sum(1 for pid in state.preferences if pid in state.participants)
        self.query_one("#prefs-count", Digits).update(str(ranked))
        self.query_one("#prefs-big", BigCode).text = str(ranked)
        line = Text(f"of {people} ranked their choices")
        if not w.teams_published:  # once published, phones rank no more
            line.append("\n")
            line.append(str(people - ranked), style="bold")
            line.append(" still to rank")
        update_text(self.query_one("#prefs-line", Static), line)  # each ranking: in place, no layout
        explain = self.query_one("#explain", Static)
        explain.set_class(bool(self.error), "-error")
        if self.error:
            explain.update(Text(terminal_safe(f"Could not form teams: {self.error}")))
        elif state.teams:
            explain.update(team_stats(state))
        else:
            explain.update(Text("No teams yet: press f to form them from everyone's preferences."))
        if table:
            self._refresh_table()

    def _candidate_lines(self, idea_ids: list[str]) -> Text:
        """One line per idea, cut with an ellipsis; past the lines the header has, a count says how many more."""
        if not idea_ids:
            return Text("none chosen yet: press c", style="italic")
        view = self.service.view(self.code)
        ideas = view.ideas
        room = CANDIDATE_LINES[0] if self.size.width < NARROW_BELOW else CANDIDATE_LINES[1]
        tie = view.tie_at_cut()
        if tie is not None:
            room -= 1  # the tie's line is kept whatever else is cut: it says why some idea is missing
        shown = idea_ids if len(idea_ids) <= room else idea_ids[: room - 1]
        lines = []
        for n, idea_id in enumerate(shown, 1):
            idea = ideas.get(idea_id)
            line = Text(f"{n:>2}. ", style="bold", no_wrap=True, overflow="ellipsis")
            line.append(" ".join(terminal_safe(idea.text).split()) if idea else "(gone)")
            lines.append(line)
        if len(shown) < len(idea_ids):
            lines.append(Text(f"    +{len(idea_ids) - len(shown)} more (c lists them all)", style="italic"))
        if tie is not None:
            dots, left_out = tie
            at = f"at {plural(dots, 'dot')}" if view.workshop.results_revealed else "on dots"
            tied = f"{left_out} left out {'ties' if left_out == 1 else 'tie'} {at}"
            lines.append(Text(f"! {tied}: posted later (c)", style=WARNING))  # short: 80 columns show it
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)

    def _refresh_table(self) -> None:
        state = self.service.view(self.code)
        table: DataTable[Text] = self.query_one("#teams-table", DataTable)
        keep = self.selected()
        old_row = table.cursor_row
        table.clear()
        self._ensure_columns(table)
        seats: list[Seat] = []
        placed: set[str] = set()
        settings = state.workshop.settings
        for team in self._teams_in_order():
            label = terminal_safe(team.name) or "?"
            name = Text(label, style="bold", overflow="ellipsis", no_wrap=True)
            if not settings.team_min_size <= len(team.member_ids) <= settings.team_max_size:
                name = Text(f"! {label}", style="bold reverse", overflow="ellipsis", no_wrap=True)
            if not team.member_ids:
                table.add_row(name, Text("nobody yet", style="dim italic"), Text(""))
                seats.append(Seat(team.id, None))
            # the champion first, then by name: a stable order the room can scan
            members = sorted(
                team.member_ids,
                key=lambda m: (m != team.champion_id, _name(state.participants.get(m)).casefold(), m),
            )
            for n, pid in enumerate(members):
                placed.add(pid)
                person = state.participants.get(pid)
                champion = pid == team.champion_id
                table.add_row(
                    name if n == 0 else Text(""),
                    Text(
                        terminal_safe(_name(person)),
                        style="bold" if champion else "",
                        overflow="ellipsis",
                        no_wrap=True,
                    ),
                    Text("★ champion", style="bold") if champion else Text(""),
                )
                seats.append(Seat(team.id, pid))
        if state.teams:
            for pid, person in state.participants.items():
                if pid not in placed:
                    table.add_row(
                        Text("Not in a team", style="italic"),
                        Text(terminal_safe(person.name), overflow="ellipsis"),
                        Text(""),
                    )
                    seats.append(Seat(None, pid))
        self.seats = seats
        if seats:
            same_person = [
                n for n, s in enumerate(seats) if keep is not None and s.participant_id == keep.participant_id
            ]
            target = same_person[0] if keep and keep.participant_id and same_person else min(old_row, len(seats) - 1)
            table.move_cursor(row=target, animate=False)

    def selected(self) -> Seat | None:
        table = self.query_one("#teams-table", DataTable)
        if not self.seats or not table.row_count:
            return None
        return self.seats[min(table.cursor_row, len(self.seats) - 1)]

    def on_domain_events(self, message: DomainEvents) -> None:
        mine = message.for_workshop(self.workshop_id)
        if not mine:
            return
        if any(isinstance(e, ev.PhaseChanged | ev.TeamsChanged | ev.WorkshopUpdated) for e in mine):
            self.refresh_bindings()
        self.refresh_all(
            table=any(isinstance(e, TABLE_EVENTS) for e in mine),
            candidates=any(isinstance(e, CANDIDATE_EVENTS) for e in mine),
        )

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = ACTION_PHASES.get(action)
        if allowed is None:
            return True
        if self.service.view(self.code).workshop.phase not in allowed:
            return False
        if action in ("move_member", "make_champion"):
            seat = self.selected()
            if seat is None or seat.participant_id is None:
                return None
            if action == "make_champion" and seat.team_id is None:
                return None
        if action == "publish_teams":
            w = self.service.view(self.code).workshop
            return None if w.teams_published or not self.service.view(self.code).teams else True
        return True

    def _fail(self, exc: WorkshopError) -> None:
        self.notify(terminal_safe(str(exc)), title="Not done", severity="error", markup=False)

    def action_choose_candidates(self) -> None:
        async def chosen(idea_ids: list[str] | None) -> None:
            if not idea_ids:
                return
            try:
                await self.service.set_team_candidates(self.code, idea_ids=idea_ids)
            except WorkshopError as exc:
                self._fail(exc)

        self.app.push_screen(CandidatesScreen(self.service, self.code), chosen)

    def action_form_teams(self) -> None:
        state = self.service.view(self.code)
        people = len(state.participants)
        ranked = sum(1 for pid in state.preferences if pid in state.participants)
        questions = []
        if ranked < people:
            questions.append(f"{ranked} of {people} have ranked")
        if state.teams:
            questions.append("the current teams and any moves are replaced")
        if not questions:
            self.run_worker(self._form(), exclusive=True, group="form")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._form(), exclusive=True, group="form")

        question = "; ".join(questions).capitalize() + ": form teams anyway?"
        detail = "Phones keep ranking until you publish the teams (p); f again uses the newest rankings."
        self.app.push_screen(ConfirmScreen(question, detail), answered)

    async def _form(self) -> None:
        self.query_one("#explain", Static).update(Text("Forming teams…", style="italic"))
        try:
            await self.service.form_teams(self.code)
        except WorkshopError as exc:
            self.error = str(exc)
        else:
            self.error = ""
        self.refresh_all()

    def action_publish_teams(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._publish(), exclusive=True, group="publish")

        teams = len(self.service.view(self.code).teams)
        question = f"Publish {'the team' if teams == 1 else f'the {teams} teams'} to the phones?"
        self.app.push_screen(ConfirmScreen(question, "Everyone sees their team; ranking closes."), answered)

    async def _publish(self) -> None:
        try:
            await self.service.publish_teams(self.code)
        except WorkshopError as exc:
            self._fail(exc)

    def action_move_member(self) -> None:
        seat = self.selected()
        if seat is None or seat.participant_id is None:
            return
        pid = seat.participant_id
        state = self.service.view(self.code)
        person = state.participants.get(pid)

        async def chosen(team_id: str | None) -> None:
            if team_id is None:
                return
            try:
                await self.service.move_member(self.code, pid, team_id)
            except WorkshopError as exc:
                self._fail(exc)

        picker = TeamPickerScreen(person.name if person else "?", self._teams_in_order(), seat.team_id)
        if not picker.targets:
            self.notify("There is no other team to move them to.", severity="warning")
            return
        self.app.push_screen(picker, chosen)

    async def action_make_champion(self) -> None:
        seat = self.selected()
        if seat is None or seat.participant_id is None or seat.team_id is None:
            return
        try:
            await self.service.set_champion(self.code, seat.team_id, seat.participant_id)
        except WorkshopError as exc:
            self._fail(exc)


def _name(person: Participant | None) -> str:
    return person.name if person else "?"


WARNING = "bold red"  # a flag in the stats box, whose own text is drawn in the success colour


def team_stats(state: WorkshopView) -> Text:
    """The teams as they are now (after any moves): sizes against the bounds, who is left out, choices met.

    One line each, never wrapped, the flags right after the sizes: at 80x24 the box has four lines, and a
    team outside the bounds is what the facilitator must see (team names are idea titles, often long)."""
    s = state.workshop.settings
    teams = list(state.teams.values())
    members = {m: t for t in teams for m in t.member_ids if m in state.participants}
    sizes = [len(t.member_ids) for t in teams]
    first = sum(1 for m, t in members.items() if _choice(state, m, t.idea_id) == 1)
    top_two = sum(1 for m, t in members.items() if _choice(state, m, t.idea_id) in (1, 2))
    people = len(members)
    span = f"{min(sizes)}" if min(sizes) == max(sizes) else f"{min(sizes)} to {max(sizes)}"
    head = f"{plural(people, 'person', 'people')} in {plural(len(teams), 'team')} of {span}"
    lines = [Text(f"{head} (allowed {s.team_min_size} to {s.team_max_size})")]
    below = [t for t in teams if len(t.member_ids) < s.team_min_size]
    above = [t for t in teams if len(t.member_ids) > s.team_max_size]
    for flagged, bound in ((below, f"below the minimum of {s.team_min_size}"), (above, f"above {s.team_max_size}")):
        if flagged:
            named = ", ".join(f"{_short(t.name)} ({len(t.member_ids)})" for t in flagged)
            lines.append(Text(f"! {bound}: {named}", style=WARNING))
    leaderless = [t for t in teams if t.member_ids and t.champion_id not in t.member_ids]
    if leaderless:  # its champion was moved away: the backlog item would have no owner
        named = ", ".join(_short(t.name) for t in leaderless)
        lines.append(Text(f"! no champion (k names one): {named}", style=WARNING))
    left_out = len(state.participants) - people
    if left_out:
        lines.append(Text(f"{left_out} not in a team yet (m places them)", style="bold"))
    if state.workshop.teams_published:
        lines.append(Text("Published: phones show everyone their team."))
    else:
        lines.append(Text("Draft: phones keep ranking. p publishes the teams to the phones.", style="bold"))
    ranked = sum(1 for m in members if m in state.preferences)
    if ranked:  # of those who ranked: nobody else can have got a choice
        lines.append(Text(f"{first} of {ranked} who ranked got their 1st choice, {top_two} their 1st or 2nd"))
    elif people:
        lines.append(Text("Nobody has ranked yet: f again forms them from the rankings as they come."))
    out = Text("\n").join(lines)
    out.no_wrap, out.overflow = True, "ellipsis"
    return out


def _short(name: str, width: int = FLAG_NAME_WIDTH) -> str:
    """A team's name cut to ``width`` cells, so several fit on one flag line."""
    clean = " ".join(terminal_safe(name).split()) or "?"
    return clean if cell_len(clean) <= width else set_cell_size(clean, width - 1) + "…"


def _choice(state: WorkshopView, participant_id: str, idea_id: str) -> int | None:
    """1 for a person's first choice, 2 for the second...; None when they did not rank the idea."""
    pref = state.preferences.get(participant_id)
    if pref is None or idea_id not in pref.idea_ids:
        return None
    return pref.idea_ids.index(idea_id) + 1
