"""The terminal sanitiser, and the CLI paths that print participants' text (issue 11, items 8-9)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment

from tests.helpers.cli import run_cli, run_cli_bytes
from tests.helpers.hostile_text import ESCAPES, file_problems, terminal_problems
from tests.helpers.serve import start_serve
from workshop_tui.commands import json_line, plain
from workshop_tui.exports import EXPORTERS
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import file_safe, is_terminal_safe, json_safe, terminal_safe

ALL = " | ".join(ESCAPES.values())


def test_each_kind_becomes_a_visible_placeholder() -> None:
    assert terminal_safe(ESCAPES["osc2"]) == "␛]2;PWNED-TITLE␇ retitled"
    assert terminal_safe(ESCAPES["csi"]) == "␛[2J␛[H␛[41;97mEVIL-PAINT"
    assert terminal_safe(ESCAPES["c1"]) == "�2J�0;C1-TITLE� c1"
    assert terminal_safe(ESCAPES["bidi"]) == "BIDI�evil�iso��"
    assert terminal_safe(ESCAPES["del"]) == "DEL␡te"
    assert terminal_safe("lone \ud800 surrogate \udfff") == "lone � surrogate �"
    assert terminal_safe("\x00") == "␀"


def test_whitespace_is_one_line_unless_asked() -> None:
    assert terminal_safe("a\tb\nc\r\nd") == "a b c  d"
    assert terminal_safe("a\tb\nc\r\nd", multiline=True) == "a\tb\nc\r\nd"
    assert terminal_safe("good\rEVIL", multiline=True) == "good␍EVIL"  # a lone CR would overwrite the line


def test_ordinary_text_is_untouched() -> None:
    text = "Café ☕ für alle — 🇫🇷, عربي, 日本語 [b]markup[/b]"
    assert terminal_safe(text) == text and is_terminal_safe(text)


def test_emoji_whose_width_terminals_disagree_on_are_simplified() -> None:
    # Measured in tmux 3.3a: "☀️" takes 1 cell where Rich counts 2, "👍🏽" 4 where Rich counts 2.
    assert terminal_safe("☀️ ❤️ 👍🏽 🧑🏽‍💻") == "☀ ❤ 👍 🧑💻"
    assert not is_terminal_safe("☀️")
    # A joined sequence is two cells for Rich, but a cut through it (a dialog's edge over a table
    # row) splits it into parts that count 2 each: drawn as its parts, every cut falls between them.
    assert terminal_safe("👨‍👩‍👧 family") == "👨👩👧 family" and not is_terminal_safe("👨‍👩‍👧")
    assert terminal_safe("क्‍ष") == "क्‍ष"  # a joiner between letters of a script stays
    for name in ("Family 👨‍👩‍👧 🧑‍💻", terminal_safe("Family 👨‍👩‍👧 🧑‍💻")):
        cuts = [Segment(name).split_cells(n) for n in range(cell_len(name) + 1)]
        whole = all(cell_len(a.text) + cell_len(b.text) == cell_len(name) for a, b in cuts)
        assert whole == (name != "Family 👨‍👩‍👧 🧑‍💻"), name  # as typed, a cut through it miscounts


def test_file_safe_keeps_every_emoji_sequence_and_only_that() -> None:
    assert file_safe("☀️ ❤️ 👍🏽 🧑🏽‍💻 🇫🇮") == "☀️ ❤️ 👍🏽 🧑🏽‍💻 🇫🇮"
    assert file_safe(ESCAPES["osc52"] + ESCAPES["bidi"]) == terminal_safe(ESCAPES["osc52"] + ESCAPES["bidi"])


@given(st.text())
def test_file_safe_leaves_nothing_that_acts_on_a_terminal(text: str) -> None:
    for multiline in (False, True):
        assert file_problems(file_safe(text, multiline=multiline)) == []


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    for multiline in (False, True):
        assert terminal_problems(terminal_safe(text, multiline=multiline)) == []
        assert is_terminal_safe(terminal_safe(text))


@given(st.dictionaries(st.text(max_size=5), st.text()))
def test_json_lines_are_inert_and_mean_the_same(obj: dict[str, str]) -> None:
    line = json_line(obj)
    assert terminal_problems(line) == [] and "\x1b" not in line
    assert json.loads(line) == obj


def test_json_safe_escapes_c1_and_bidi() -> None:
    assert json_safe('{"a":"x\x85\u202e\x7f"}') == '{"a":"x\\u0085\\u202e\\u007f"}'


def test_plain_is_one_line_cut_to_cells() -> None:
    assert plain(ESCAPES["osc2"]) == "␛]2;PWNED-TITLE␇ retitled"
    assert plain("🚲🚲🚲🚲", width=5) == "🚲🚲…"  # emoji are two cells wide


# ---------------------------------------------------------------- the CLI


async def _hostile_workshop(data_dir: Path) -> str:
    async with WorkshopService(data_dir) as service:
        w = await service.create_workshop(f"Title {ALL}", code="EVIL")
        await service.set_phase(w.code, Phase.IDEATE)
        person, _ = await service.join(w.code, f"Name {ESCAPES['osc52']}")
        for text in ESCAPES.values():
            await service.post_idea(w.code, f"note {text}", author_id=person.id)
        theme = await service.create_theme(w.code, f"Theme {ESCAPES['csi']}")
        paper = await service.post_idea(w.code, f"paper {ALL}", source=Source.PAPER, theme_id=theme.id)
        for phase in (Phase.GROUP, Phase.VOTE, Phase.TEAMS):
            await service.set_phase(w.code, phase)
        (item,) = await service.convert_to_backlog(w.code, [paper.id])
        await service.update_backlog_item(item.id, {"owner": {"name": f"Owner {ESCAPES['bidi']}", "public": True}})
        return w.code


def _assert_inert(out: str, what: str) -> None:
    assert terminal_problems(out) == [], f"{what}: {terminal_problems(out)}"


def test_cli_outputs_are_inert(data_dir: Path) -> None:
    code = asyncio.run(_hostile_workshop(data_dir))
    for args in (["list"], ["backlog"], ["backlog", "--ledger"]):
        result = run_cli(data_dir, *args)
        assert result.returncode == 0, result.stderr
        _assert_inert(result.stdout + result.stderr, " ".join(args))
        assert "PWNED-TITLE" in result.stdout  # the title is there, made visible
    for fmt in EXPORTERS:  # stdout is a pipe here: the file's bytes, emoji as typed, no control
        result = run_cli(data_dir, "export", code, "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert file_problems(result.stdout) == [], f"export --format {fmt}: {file_problems(result.stdout)}"
        assert any(word in result.stdout for word in ("EVIL-PAINT", "C1-TITLE", "PWNED-TITLE")), fmt
    for fmt in ("json", "datapackage"):  # JSON escapes: the same document, the same descriptor
        exported = json.loads(run_cli(data_dir, "export", code, "--format", fmt).stdout)
        assert exported.get("workshop", exported)["title"] == f"Title {ALL}"
    for args in (["list", "--json"], ["backlog", "--json"], ["backlog", "--ledger", "--json"]):
        result = run_cli(data_dir, *args)
        _assert_inert(result.stdout, " ".join(args))
        titles = [json.loads(line).get("title") for line in result.stdout.splitlines()]
        assert any(t and "PWNED-TITLE" in t for t in titles)


def test_export_to_a_file_is_inert_and_its_json_exact(data_dir: Path, tmp_path: Path) -> None:
    code = asyncio.run(_hostile_workshop(data_dir))
    for fmt, target in (("md", tmp_path / "report.md"), ("json", tmp_path / "doc.json")):
        assert run_cli_bytes(data_dir, "export", code, "--format", fmt, "-o", str(target)).returncode == 0
        assert file_problems(target.read_text()) == [], fmt
    assert json.loads((tmp_path / "doc.json").read_text())["workshop"]["title"] == f"Title {ALL}"
    assert ESCAPES["emoji"] in (tmp_path / "report.md").read_text()  # a file is not a terminal: emoji as typed


def test_export_o_writes_the_bytes_stdout_carries_to_a_pipe(data_dir: Path, tmp_path: Path) -> None:
    code = asyncio.run(_hostile_workshop(data_dir))
    for fmt, name in (("md", ""), ("decidim", ""), ("csv", "ideas.csv")):  # (JSON has the export time)
        target = tmp_path / f"out.{fmt}"
        assert run_cli_bytes(data_dir, "export", code, "--format", fmt, "-o", str(target)).returncode == 0
        written = (target / name if name else target).read_bytes()
        assert run_cli_bytes(data_dir, "export", code, "--format", fmt).stdout == written, fmt
        assert ESCAPES["emoji"].encode() in written, fmt


def test_export_to_a_terminal_is_terminal_safe(data_dir: Path) -> None:
    """A real pseudo-terminal as stdout: the same report, without the emoji modifiers that shift columns."""
    import os
    import pty
    import subprocess
    import sys

    from tests.helpers.cli import cli_env, command

    code = asyncio.run(_hostile_workshop(data_dir))
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "workshop_tui", *command(data_dir, ["export", code, "--format", "md"])],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=120) == 0
    shown = b"".join(chunks).decode().replace("\r\n", "\n")  # the terminal's ONLCR
    assert terminal_problems(shown) == [], terminal_problems(shown)
    assert "PWNED-TITLE" in shown and "EMOJI ☀ ❤ 👍 🧑💻" in shown


def test_import_error_lines_are_inert(data_dir: Path, tmp_path: Path) -> None:
    code = asyncio.run(_hostile_workshop(data_dir))
    doc = json.loads(run_cli(data_dir, "export", code, "--format", "json").stdout)
    doc["ideas"][0]["theme_id"] = f"missing {ESCAPES['osc2']}"  # a dangling reference, quoted in the error
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    result = run_cli(data_dir, "import", str(bad), "--as-new-code")
    assert result.returncode == 1
    _assert_inert(result.stderr, "import error")
    assert "PWNED-TITLE" in result.stderr


def test_serve_banner_is_inert(data_dir: Path) -> None:
    asyncio.run(_hostile_workshop(data_dir))
    served = start_serve(data_dir, "--port", "0")
    try:
        banner = served.next_line(30)
        assert banner is not None and "PWNED-TITLE" in banner
        _assert_inert(banner, "serve banner")
    finally:
        served.process.terminate()
        served.process.communicate(timeout=30)


def test_errors_that_echo_the_command_line_are_inert(data_dir: Path) -> None:
    """A code, a format or a stray word pasted with escapes in it comes back quoted in one stderr line."""
    asyncio.run(_hostile_workshop(data_dir))
    hostile = ESCAPES["osc2"] + ESCAPES["c1"] + ESCAPES["bidi"]
    for args in (
        ["export", hostile],
        ["export", "EVIL", "--format", hostile],
        ["list", hostile],
        ["export", "EVIL", "--locale", hostile],
        ["backlog", "--json", hostile],
    ):
        result = run_cli(data_dir, *args)
        assert result.returncode in (1, 2), (args, result.stderr)
        assert result.stderr.count("\n") == 1 and terminal_problems(result.stderr) == [], (args, result.stderr)
