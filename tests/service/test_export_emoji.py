"""Export files keep printable text as typed: emoji ZWJ sequences, variation selectors and skin tones
survive in every format, while controls, bidi overrides, CSV formulas and Markdown links are still
neutralised (a file is not a terminal: only the CLI printing to one drops the emoji modifiers)."""

from __future__ import annotations

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
