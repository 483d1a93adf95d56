"""The export dialog: format, destination, anonymize; writes the file(s) and returns the path written.

The app pushes it with ``push_screen(ExportDialog(service, code), callback)`` and, when the result is
a path, says so with ``notify(f"Wrote {path}", markup=False)``. "Board snapshot" closes the dialog
and saves the app's SVG screenshot of the board next to the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from workshop_tui.errors import WorkshopError
from workshop_tui.exports import FORMATS, ExportFormat, default_name, prepare, render, write_files
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

LABELS: dict[ExportFormat, str] = {
    "json": "JSON (the whole workshop, for other tools)",
    "csv": "CSV tables (a folder, one file per table)",
    "md": "Markdown report (city website)",
    "decidim": "Decidim accountability results (CSV)",
}


class ExportDialog(ModalScreen[Path | None]):
    CSS_PATH = "export_dialog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, service: WorkshopService, code: str, *, directory: Path | None = None) -> None:
        super().__init__()
        self.service = service
        self.code = service.state(code).code
        self.directory = directory or service.data_dir / "exports"
        self._last_default = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Export the workshop", id="heading")
            yield Select([(LABELS[f], f) for f in FORMATS], value="md", allow_blank=False, id="format")
            yield Label("Save to")
            yield Input(id="destination")
            with Horizontal(classes="switch-row"):
                yield Switch(value=False, id="anonymize")
                yield Label("Anonymize (pseudonyms instead of names)")
            with Horizontal(classes="switch-row", id="by-department-row"):
                yield Switch(value=False, id="by-department")
                yield Label("Per-department digest")
            yield Static("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Board snapshot", id="snapshot")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._refresh_default()

    # ------------------------------------------------------------------ state of the form

    @property
    def fmt(self) -> ExportFormat:
        value = self.query_one("#format", Select).value
        return value if value in FORMATS else "md"

    def _default_destination(self) -> str:
        by_department = self.query_one("#by-department", Switch).value
        return str(self.directory / default_name(self.code, self.fmt, by_department=by_department))

    def _refresh_default(self) -> None:
        """Follow the format with the default path, unless the facilitator typed their own."""
        destination = self.query_one("#destination", Input)
        if not destination.value or destination.value == self._last_default:
            self._last_default = self._default_destination()
            destination.value = self._last_default
        self.query_one("#by-department-row").display = self.fmt == "md"

    @on(Select.Changed, "#format")
    @on(Switch.Changed, "#by-department")
    def _changed(self) -> None:
        self._refresh_default()
        self.show_error("")

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(terminal_safe(message)))

    # ------------------------------------------------------------------ actions

    def export(self) -> Path | None:
        """Write the export; on failure show the reason in the dialog and return None."""
        raw = self.query_one("#destination", Input).value.strip()
        if not raw:
            self.show_error("Choose where to save the export.")
            return None
        destination = Path(raw).expanduser()
        anonymized = self.query_one("#anonymize", Switch).value
        by_department = self.fmt == "md" and self.query_one("#by-department", Switch).value
        try:
            doc = prepare(self.service.state(self.code), anonymized=anonymized)
            files = render(doc, self.fmt, anonymized=anonymized, by_department=by_department)
            return write_files(files, self.fmt, destination)
        except OSError as exc:
            self.show_error(f"Cannot write {exc.filename or destination}: {exc.strerror or exc}")
        except WorkshopError as exc:
            self.show_error(exc.message)
        return None

    def snapshot_path(self) -> Path | None:
        raw = self.query_one("#destination", Input).value.strip()
        if not raw:
            self.show_error("Choose where to save the export.")
            return None
        target = Path(raw).expanduser()
        svg = target / "board.svg" if self.fmt == "csv" else target.with_name(f"{target.stem}-board.svg")
        try:
            svg.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.show_error(f"Cannot write {exc.filename or svg.parent}: {exc.strerror or exc}")
            return None
        return svg

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        written = self.export()
        if written is not None:
            self.dismiss(written)

    @on(Button.Pressed, "#snapshot")
    def _snapshot_pressed(self) -> None:
        svg = self.snapshot_path()
        if svg is None:
            return
        app = self.app
        self.dismiss(svg)
        # Once the dialog is gone, the board is the screen: take its picture after the next repaint.
        app.call_after_refresh(app.save_screenshot, filename=svg.name, path=str(svg.parent))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
