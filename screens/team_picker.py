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
    """Dismisses with the chosen team's id, or None."""

    CSS_PATH = "team_picker.tcss"

    def __init__(self, person: str, teams: list[Team], current: str | None) -> None:
        super().__init__()
        self.person = person
        self.teams = teams
        self.current = current

    def compose(self) -> ComposeResult:
        title = Text("Move ", style="bold")
        title.append(terminal_safe(self.person))
        title.append(" to:")
        options = []
        for team in self.teams:
            prompt = Text(f"{len(team.member_ids):>3}  ", style="bold")
            prompt.append(terminal_safe(team.name) or "?")
            options.append(Option(prompt, id=team.id, disabled=team.id == self.current))
        with Vertical(id="dialog"):
            yield Static(title, markup=False)
            yield OptionList(*options, id="team-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
