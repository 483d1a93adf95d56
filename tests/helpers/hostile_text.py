"""Terminal escapes a hostile phone (or import file) can send, and the check that none reached a terminal."""

from __future__ import annotations

import re

#: One of each kind; the visible words in them prove the text itself was drawn.
ESCAPES: dict[str, str] = {
    "osc2": "\x1b]2;PWNED-TITLE\x07 retitled",
    "osc52": "\x1b]52;c;cm0gLXJmIH4=\x07 clipboard",
    "csi": "\x1b[2J\x1b[H\x1b[41;97mEVIL-PAINT",
    "c1": "\x9b2J\x9d0;C1-TITLE\x9c c1",
    "bidi": "BIDI\u202eevil\u2066iso\u2069\u200f",
    "del": "DEL\x7fte",
    # Not escapes, but tmux 3.3a draws "☀️" in 1 cell where Rich counts 2 and "👍🏽" in 4 where Rich counts
    # 2: each shifted the rest of its row, and a table's right border with it.
    "emoji": "EMOJI ☀️ ❤️ 👍🏽 🧑🏽‍💻",
}
WORDS = ["PWNED-TITLE", "cm0gLXJmIH4=", "EVIL-PAINT", "C1-TITLE", "BIDI", "DEL", "EMOJI"]

_C1 = re.compile("[\x80-\x9f]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Every escape Textual itself writes is a CSI (cursor moves, colours): ESC followed by "[", except the
# mouse pointer's shape (OSC 22 with a shape name), which it sets as the pointer moves.
_NOT_CSI = re.compile(r"\x1b(?!\[)")
_POINTER_SHAPE = re.compile(r"\x1b\]22;[a-z-]+\x07")


#: Emoji sequences a file must carry as typed: a ZWJ sequence with a skin tone, VS16, a skin tone, a flag.
EMOJI = "🧑🏽‍💻 ☀️ ❤️ 👍🏽 🇫🇮 👨‍👩‍👧"

#: Text that is not an escape but must still reach no terminal, spreadsheet or page as more than text.
INJECTIONS: dict[str, str] = {
    "markup": "[b]BOLD[/b] [@click=app.quit]QUIT[/] [red]RED",
    "formula": '=HYPERLINK("http://evil.example","FORMULA")',
    "tab-formula": "\t=1+2 TABFORMULA",
    "cr-formula": "\r=1+2 CRFORMULA",
    "at-formula": "@SUM(1,2) ATFORMULA",
    "js-link": "javascript:alert(1) JSLINK",
    "md-link": "[CLICK](javascript:alert(1)) ![IMG](http://evil.example/x.png) MDLINK",
    "controls": "NUL\x00 BEL\x07 C1\x85 DEL\x7f CONTROLS",
    "long": "LONG" + "x" * 400,
}


def file_problems(output: str) -> list[str]:
    """What in ``output`` (a file's or a pipe's text) a participant could have put there to act on a
    terminal that prints it: every escape and control. Emoji modifiers are printable text: a file keeps them."""
    problems = []
    output = _POINTER_SHAPE.sub("", output)
    if _NOT_CSI.search(output):
        problems.append("an escape that is not a CSI (OSC, DCS, ...)")
    for sequence in ("\x1b[2J", "\x1b[H", "\x1b[41;97m", "\x07"):
        if sequence in output:
            problems.append(f"the sequence {sequence!r}")
    if _C1.search(output):
        problems.append("a C1 control")
    if _BIDI.search(output):
        problems.append("a bidi control")
    if "\x7f" in output:
        problems.append("DEL")
    if re.search("[\ud800-\udfff]", output):
        problems.append("a lone surrogate")
    if re.search("[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]", output):
        problems.append("a C0 control")
    return problems


def terminal_problems(output: str) -> list[str]:
    """What in ``output`` (bytes written to a terminal, decoded) a participant could have put there: the
    escapes and controls of :func:`file_problems`, and emoji whose width terminals disagree on."""
    problems = file_problems(output)
    if re.search("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]", output):
        problems.append("an emoji whose width terminals disagree on")
    return problems
