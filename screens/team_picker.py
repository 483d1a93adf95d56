"""Pick the team to move a person to."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.option_picker import OptionPicker
from workshop_tui.models import Team
from workshop_tui.text_safety import terminal_safe


class TeamPickerScreen(OptionPicker):
    """Dismisses with the chosen team's id, or None. The person's own team is named in the title, not
    offered as a target (a move there would do nothing)."""

    CSS_PATH = "team_picker.tcss"

    def __init__(self, person: str, teams: list[Team], current: str | None) -> None:
        super().__init__()
        self.person = person
        self.teams = teams
        self.current = current

    def compose(self) -> ComposeResult:
        title = Text("Move ", style="bold")
        title.append(terminal_safe(self.person))
        now = next((t for t in self.teams if t.id == self.current), None)
        if now is not None:
            title.append(" (now in ")
            title.append(terminal_safe(now.name) or "?")
            title.append(")")
        title.append(" to:")
        options = []
        for team in self.targets:
            prompt = Text(f"{len(team.member_ids):>3}  ", style="bold")
            prompt.append(terminal_safe(team.name) or "?")
            options.append(Option(prompt, id=team.id))
        with Vertical(id="dialog"):
            yield Static(title, markup=False)
            yield OptionList(*options, id="team-list")

    @property
    def targets(self) -> list[Team]:
        return [t for t in self.teams if t.id != self.current]

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
