"""The exporter registry is the one list of formats: the CLI, the TUI dialog and the renderers read it,
so a new format is one entry."""

from __future__ import annotations

import asyncio
import io
import re
import zipfile
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Select, Static, Switch

from screens.export_dialog import ExportDialog
from tests.helpers.api import admin, assert_error, in_process
from workshop_tui.cli import build_parser, main
from workshop_tui.demo import build_demo
from workshop_tui.exports import EXPORTERS, Exporter, ExportOptions, export_files, write_files
from workshop_tui.service import WorkshopService


def _subparser(name: str) -> object:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command" or getattr(a, "choices", None))
    choices = sub.choices
    assert isinstance(choices, dict)
    return choices[name]


def test_cli_format_choices_are_the_registry() -> None:
    export = _subparser("export")
    fmt = next(a for a in export._actions if a.dest == "format")  # type: ignore[attr-defined]
    assert list(fmt.choices) == list(EXPORTERS)


@pytest.mark.parametrize("exp", EXPORTERS.values(), ids=lambda e: e.name)
async def test_every_format_renders_and_writes(service: WorkshopService, tmp_path: Path, exp: Exporter) -> None:
    await build_demo(service)
    files = export_files(service.view("MAKE"), exp.name)
    assert files and all(data for data in files.values())
    target = tmp_path / exp.destination("MAKE", ExportOptions())
    written = write_files(files, exp, target)
    if exp.multi_file:
        assert exp.main_file in files
        assert sorted(p.name for p in written.iterdir()) == sorted(files)
    else:
        assert list(files) == [target.name] and written.read_bytes() == next(iter(files.values()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "--by-department"], "--by-department goes with --format md"),
        (["--format", "csv", "--locale", "fi"], "--locale goes with --format decidim"),
        (["--format", "md", "--locale", "en"], "--locale goes with --format decidim"),
        (["--format", "decidim", "--locale", "no good"], "--locale 'no good' is not a locale code"),
        (["--format", "decidim", "--locale", "en_GB"], "(Decidim writes en-GB)"),
        (["--format", "decidim", "--locale", "fi,en"], "--locale 'fi,en' must start with the workshop's language, en"),
        (["--format", "decidim", "--separator", "x"], "'x' is not a separator"),
        (["--format", "csv", "--separator", ","], "--separator goes with --format decidim"),
    ],
)
def test_flag_rules_come_from_the_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    if "fi,en" in args:  # refused only once the workshop's language is known
        asyncio.run(_demo(tmp_path))
    assert main(["--data-dir", str(tmp_path), "export", "MAKE", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def _upper(doc: object, options: ExportOptions) -> dict[str, bytes]:
    from workshop_tui.export_json import ExportDocument

    assert isinstance(doc, ExportDocument)
    return {f"{doc.workshop.code}.txt": doc.workshop.title.upper().encode()}


NEW = Exporter(
    name="shout",
    label="The title, loudly",
    media_type="text/plain",
    destination=lambda code, _: f"{code}.txt",
    render=_upper,
    options=frozenset(),
)


async def _demo(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        await build_demo(service)


def test_a_new_format_is_one_entry_for_the_cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(EXPORTERS, NEW.name, NEW)
    asyncio.run(_demo(tmp_path))
    assert main(["--data-dir", str(tmp_path), "export", "MAKE", "--format", "shout"]) == 0
    assert capsys.readouterr().out == "OPEN CITY HACKATHON (DEMO)"
    assert main(["--data-dir", str(tmp_path), "export", "MAKE", "--format", "shout", "-o", str(tmp_path / "x")]) == 0
    assert (tmp_path / "x").read_text() == "OPEN CITY HACKATHON (DEMO)"
    assert main(["--data-dir", str(tmp_path), "export", "MAKE", "--format", "shout", "--anonymize"]) == 2
    assert "--anonymize goes with --format json or csv or md or decidim" in capsys.readouterr().err


async def test_a_new_format_is_one_entry_for_the_dialog(
    monkeypatch: pytest.MonkeyPatch, service: WorkshopService, tmp_path: Path
) -> None:
    monkeypatch.setitem(EXPORTERS, NEW.name, NEW)
    await build_demo(service)
    app: App[None] = App()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = ExportDialog(service, "MAKE", directory=tmp_path / "out")
        app.push_screen(dialog)
        await pilot.pause()
        select = dialog.query_one("#format", Select)
        assert [value for _, value in select._options if value != Select.BLANK] == list(EXPORTERS)
        select.value = "shout"
        await pilot.pause()
        assert not dialog.query_one("#anonymize-row").display
        written = dialog.export()
        assert written == tmp_path / "out" / "MAKE.txt"
        assert written.read_text() == "OPEN CITY HACKATHON (DEMO)"


async def test_the_dialog_shows_the_options_of_the_chosen_format(service: WorkshopService, tmp_path: Path) -> None:
    await build_demo(service)
    app: App[None] = App()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = ExportDialog(service, "MAKE", directory=tmp_path)
        app.push_screen(dialog)
        await pilot.pause()
        shown = {row: dialog.query_one(f"#{row}").display for row in ("anonymize-row", "by_department", "locale")}
        assert shown == {"anonymize-row": True, "by_department": True, "locale": False}  # md
        dialog.query_one("#by-department", Switch).value = True
        dialog.query_one("#format", Select).value = "decidim"
        await pilot.pause()
        assert dialog.query_one("#locale").display and not dialog.query_one("#by_department").display
        dialog.query_one("#locale-code", Input).value = "no good"
        assert dialog.export() is None
        assert "not a locale code" in str(dialog.query_one("#error", Static).render())
        dialog.query_one("#locale-code", Input).value = "fi"
        assert dialog.export() is None  # the workshop is in English: English is Decidim's default here
        assert "must start with the workshop's language, en" in str(dialog.query_one("#error", Static).render())
        assert dialog.query_one("#separator").display
        dialog.query_one("#locale-code", Input).value = "en,fi"
        dialog.query_one("#separator-char", Select).value = ","
        written = dialog.export()  # the by-department switch, hidden now, does not count
        assert written == tmp_path / "MAKE-decidim-results.csv"
        assert written.read_text().startswith("id,title/en,title/fi,description/en,description/fi,")


@pytest.mark.parametrize("exp", EXPORTERS.values(), ids=lambda e: e.name)
async def test_the_admin_api_serves_every_format(service: WorkshopService, exp: Exporter) -> None:
    await build_demo(service)
    anonymize = "anonymize" in exp.options  # the open-data package is always anonymised
    files = export_files(service.view("MAKE"), exp.name, ExportOptions(anonymize=anonymize))
    async with in_process(service) as server, admin(server) as a:
        params = {"format": exp.name, **({"anonymize": "true"} if anonymize else {})}
        r = await a.get("/api/v1/admin/w/make/export", params=params)
        assert r.status_code == 200, r.text
        if exp.name == "json":
            body = r.json()
            assert body["format"] == "workshop-tui.export" and "Amina" not in r.text  # anonymised
        elif exp.multi_file:
            assert r.headers["content-type"] == "application/zip"
            assert f'filename="{exp.destination("MAKE", ExportOptions())}.zip"' in r.headers["content-disposition"]
            with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
                served = {n: archive.read(n) for n in archive.namelist()}
            if "datapackage.json" in files:  # stamped with the time of each export
                served["datapackage.json"], files["datapackage.json"] = (
                    re.sub(rb'"created": "[^"]+"', b"", d)
                    for d in (served["datapackage.json"], files["datapackage.json"])
                )
            assert served == files
        else:
            assert r.headers["content-type"] == exp.media_type
            assert r.content == next(iter(files.values()))
            assert f'filename="{next(iter(files))}"' in r.headers["content-disposition"]


async def test_the_admin_api_applies_the_registry_option_rules(service: WorkshopService) -> None:
    await build_demo(service)
    async with in_process(service) as server, admin(server) as a:
        plain = await a.get("/api/v1/admin/w/MAKE/export")  # the contract: the JSON document by default
        assert plain.status_code == 200 and plain.json()["version"] == 1
        body = assert_error(await a.get("/api/v1/admin/w/MAKE/export", params={"format": "json", "locale": "fi"}), 422)
        assert "locale goes with format decidim" in body["error"]
        assert_error(await a.get("/api/v1/admin/w/MAKE/export", params={"format": "xml"}), 422)
        assert_error(await a.get("/api/v1/admin/w/MAKE/export", params={"format": "decidim", "locale": "no good"}), 422)
        body = assert_error(
            await a.get("/api/v1/admin/w/MAKE/export", params={"format": "decidim", "locale": "fi"}), 422
        )
        assert "must start with the workshop's language, en" in body["error"]
        fi = await a.get("/api/v1/admin/w/MAKE/export", params={"format": "decidim", "locale": "en,fi"})
        assert fi.status_code == 200 and fi.text.startswith("id;title/en;title/fi;description/en;")
        tab = await a.get("/api/v1/admin/w/MAKE/export", params={"format": "decidim", "separator": "\t"})
        assert tab.status_code == 200 and tab.text.startswith("id\ttitle/en\tdescription/en\t")
        assert_error(await a.get("/api/v1/admin/w/MAKE/export", params={"format": "md", "separator": ";"}), 422)
        digest = await a.get("/api/v1/admin/w/MAKE/export", params={"format": "md", "by_department": "true"})
        assert 'filename="MAKE-departments.md"' in digest.headers["content-disposition"]
        spec = (await a.get("/openapi.json")).json()
        operation = spec["paths"]["/api/v1/admin/w/{code}/export"]["get"]
        fmt = next(p for p in operation["parameters"] if p["name"] == "format")
        assert fmt["schema"]["enum"] == list(EXPORTERS)
        assert {"application/json", "application/zip", "text/markdown; charset=utf-8"} <= set(
            operation["responses"]["200"]["content"]
        )
