"""Export files keep printable text as typed: emoji ZWJ sequences, variation selectors and skin tones
survive in every format, while controls, bidi overrides, CSV formulas and Markdown links are still
neutralised (a file is not a terminal: only the CLI printing to one drops the emoji modifiers)."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from tests.helpers.hostile_text import EMOJI, ESCAPES, file_problems
from tests.service.test_export_control_chars import _hostile_workshop as hostile_workshop
from workshop_tui.export_csv import csv_cell
from workshop_tui.export_markdown import md_text
from workshop_tui.exports import EXPORTERS, ExportOptions, export_files, write_files
from workshop_tui.service import WorkshopService

TYPED = ESCAPES["emoji"]


def test_a_csv_cell_keeps_emoji_and_still_defuses_formulas_and_controls() -> None:
    assert csv_cell(f"Shade {EMOJI}") == f'"Shade {EMOJI}"'
    assert csv_cell("=👍🏽+1") == '"\'=👍🏽+1"'
    assert csv_cell("\x1b]52;c;eA==\x07 ☀️") == '"␛]52;c;eA==␇ ☀️"'
    assert csv_cell("\u202e👍🏽") == '"\ufffd👍🏽"'


def test_markdown_keeps_emoji_and_still_escapes_links() -> None:
    assert md_text(f"Shade {EMOJI}") == f"Shade {EMOJI}"
    assert md_text("[👍🏽](javascript:alert(1))") == "\\[👍🏽\\](javascript\\:alert(1))"
    assert md_text("\x9b2J ❤️") == "\ufffd2J ❤️"


@pytest.mark.parametrize("fmt", list(EXPORTERS))
async def test_every_export_file_keeps_the_emoji_as_typed(service: WorkshopService, tmp_path: Path, fmt: str) -> None:
    code = await hostile_workshop(service)  # every kind of escape, the emoji among them
    exp = EXPORTERS[fmt]
    options = ExportOptions()
    written = write_files(
        export_files(service.view(code), fmt, options), exp, tmp_path / exp.destination(code, options)
    )
    files = sorted(written.iterdir()) if written.is_dir() else [written]
    texts = {p.name: p.read_bytes().decode() for p in files}
    for name, text in texts.items():
        assert file_problems(text) == [], f"{name}: {file_problems(text)}"
    if fmt in ("json", "datapackage"):  # JSON may spell them as \\u escapes: the same strings once read
        documents = [orjson.loads(t) for n, t in texts.items() if n.endswith(".json")]
        assert any(TYPED in orjson.dumps(d).decode() for d in documents) or any(TYPED in t for t in texts.values())
    else:
        assert any(TYPED in t for t in texts.values()), f"{fmt}: {TYPED!r} mangled"


async def test_injections_next_to_emoji_stay_inert_in_csv_and_markdown(service: WorkshopService) -> None:
    """Keeping emoji did not open a door: formulas (also behind a tab or a CR), links, images, markup,
    controls and a 400-letter word next to an emoji are still neutralised, cell by cell and line by line."""
    import csv
    import io

    from tests.conftest import workshop_in
    from tests.helpers.hostile_text import INJECTIONS
    from workshop_tui.phases import Phase

    code = await workshop_in(service, Phase.IDEATE, idea_max_length=1000)
    for text in INJECTIONS.values():
        await service.post_idea(code, text if text[:1] in "=@\t\r" else f"{text} 👍🏽")
    files = export_files(service.view(code), "csv")
    rows = list(csv.DictReader(io.StringIO(files["ideas.csv"].decode())))
    cells = {row["text"] for row in rows}
    for text in cells:
        assert text[:1] not in "=+-@\t\r" and file_problems(text) == [], repr(text)
    assert '\'=HYPERLINK("http://evil.example","FORMULA")' in cells and "'@SUM(1,2) ATFORMULA" in cells
    assert any("👍🏽" in text for text in cells)
    (report,) = (data.decode() for data in export_files(service.view(code), "md").values())
    assert not re.search(r"(?<!\\)\]\(|(?<!\\)!\[", report), "a link or an image the report did not write"
    assert "\\[CLICK\\](javascript\\:alert(1))" in report  # shown as typed, escaped
    assert "👍🏽" in report and file_problems(report) == []
