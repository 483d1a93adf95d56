"""The export dialog in a real Textual app under Pilot: write a report, show an inline error, snapshot."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static

from screens.export_dialog import ExportDialog
from workshop_tui.demo import build_demo
from workshop_tui.exports import EXPORTERS
from workshop_tui.service import WorkshopService


class Harness(App[None]):
    """The smallest host: a board to photograph and the dialog pushed on top."""

    def __init__(self, service: WorkshopService, directory: Path) -> None:
        super().__init__()
        self.service = service
        self.directory = directory
        self.results: list[Path | None] = []

    def compose(self) -> ComposeResult:
        yield Static("THE BOARD", id="board")

    def open_dialog(self) -> None:
        self.push_screen(ExportDialog(self.service, "MAKE", directory=self.directory), self.results.append)


async def test_choose_markdown_and_write(service: WorkshopService, tmp_path: Path) -> None:
    await build_demo(service)
    app = Harness(service, tmp_path / "exports")
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_dialog()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#format", Select).value = "csv"
        await pilot.pause()
        assert dialog.query_one("#destination", Input).value == str(tmp_path / "exports" / "MAKE-csv")
        dialog.query_one("#format", Select).value = "md"
        await pilot.pause()
        expected = tmp_path / "exports" / "MAKE-report.md"
        assert dialog.query_one("#destination", Input).value == str(expected)
        await pilot.click("#anonymize")
        await pilot.click("#export")
        await pilot.pause()
        assert app.results == [expected]
        report = expected.read_text()
        assert report.startswith("# Open City Hackathon (demo)")
        assert "Amina" not in report and "Participant 1" in report  # the switch was honoured
        assert not isinstance(app.screen, ExportDialog)


async def test_a_destination_that_cannot_be_created_is_an_inline_error(
    service: WorkshopService, tmp_path: Path
) -> None:
    await build_demo(service)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    app = Harness(service, tmp_path / "exports")
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_dialog()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#destination", Input).value = str(blocker / "sub" / "report.md")
        await pilot.click("#export")
        await pilot.pause()
        assert app.screen is dialog and app.results == []
        error = str(dialog.query_one("#error", Static).render())
        assert "Cannot write" in error and "Not a directory" in error
        assert not (blocker / "sub").exists()


async def test_board_snapshot_is_an_svg_next_to_the_report(service: WorkshopService, tmp_path: Path) -> None:
    await build_demo(service)
    app = Harness(service, tmp_path / "exports")
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_dialog()
        await pilot.pause()
        await pilot.click("#snapshot")
        await pilot.pause()
        await pilot.pause()
        svg = tmp_path / "exports" / "MAKE-report-board.svg"
        assert app.results == [svg]
        text = svg.read_text()
        assert text.startswith("<svg") and "THE" in text and "BOARD" in text
        assert "Export the workshop" not in text  # the dialog was closed before the picture


async def test_every_format_fits_a_projector_at_80x24(service: WorkshopService, tmp_path: Path) -> None:
    """The buttons and every option of each format are on the screen, not cut off below its edge."""
    from textual.widgets import Button

    await build_demo(service)
    app = Harness(service, tmp_path / "exports")
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_dialog()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        for exporter in EXPORTERS:
            dialog.query_one("#format", Select).value = exporter
            await pilot.pause()
            screen = dialog.region
            shown = [w for w in dialog.query("#dialog Button, #dialog Switch, #dialog Input") if w.display]
            shown = [w for w in shown if w.parent is None or w.parent.display]
            assert shown
            for widget in shown:
                assert screen.contains_region(widget.region), f"{exporter}: {widget.id} cut off at {widget.region}"
            assert isinstance(dialog.query_one("#export", Button), Button)
