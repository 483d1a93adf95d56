"""Choose the ideas teams form around: every idea on the wall, most dots first; space toggles."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe


class CandidatesScreen(ModalScreen[list[str] | None]):
    """Dismisses with the chosen idea ids in ranking order, or None."""

    CSS_PATH = "candidates.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("s,ctrl+s", "save", "Save"),
    ]

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__()
        self.service = service
        self.code = code
        self.ranking = service.ranking(code)
        self.chosen = set(service.view(code).workshop.team_candidates)

    def compose(self) -> ComposeResult:
        revealed = self.service.view(self.code).workshop.results_revealed
        selections = []
        for idea, dots in self.ranking:
            prompt = Text()
            if revealed:
                prompt.append(f"{dots:>3} ", style="bold")
            prompt.append(" ".join(terminal_safe(idea.text).split()))
            selections.append(Selection(prompt, idea.id, idea.id in self.chosen))
        with Vertical(id="dialog"):
            yield Static(Text("Ideas teams form around", style="bold"), markup=False)
            yield SelectionList[str](*selections, id="cand-list")
            yield Static("", id="cand-error", markup=False)
            yield Static(Text("Space toggle   s save   Esc cancel"), id="cand-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_save(self) -> None:
        picked = set(self.query_one(SelectionList).selected)
        chosen = [idea.id for idea, _ in self.ranking if idea.id in picked]
        if not chosen:
            self.query_one("#cand-error", Static).update(Text("Choose at least one idea."))
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
