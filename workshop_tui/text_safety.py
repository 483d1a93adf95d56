"""Untrusted text made safe for a terminal or a file: the one sanitiser for the TUI, the CLI and the exports.

Participants' text (notes, names, themes, titles from an import file, ...) may carry escape
sequences: ``ESC ] 2 ;`` retitles the terminal, ``ESC ] 52 ;`` sets the clipboard, ``ESC [ 2 J``
wipes the projected screen, C1 bytes are the same controls in one code point, and bidi overrides
reorder what the room reads. Before any of it reaches a terminal, each such character becomes a
visible placeholder, so the facilitator sees that something was there and nothing is executed:

- C0 controls and DEL: their Unicode "control picture" (``␛`` for ESC, ``␇`` for BEL, ``␡``);
- C1 controls, bidi overrides, embeddings, isolates and marks, line/paragraph separators and lone
  surrogates: ``�`` (U+FFFD).

That much is :func:`file_safe`, what every export file carries (CSV, Markdown, Decidim): printable text
stays as typed, emoji sequences (ZWJ, variation selectors, skin tones) included. :func:`terminal_safe`
also drops variation selectors (U+FE0E/U+FE0F) and skin-tone modifiers: terminals disagree with Rich
(and with each other) on how wide ``☀️`` or ``👍🏽`` are, and one such emoji shifted a table's right
border in tmux; without them every terminal and Rich count the same cells. A file is not a terminal:
the CLI applies that second step to an export only when its stdout is one (``docs/export-format.md``).

Tabs, line feeds and carriage returns become spaces on one line; ``multiline=True`` keeps tabs,
LF and CRLF (a lone CR, which would overwrite the line, still becomes a placeholder).
``json_safe`` is the lossless variant for JSON on stdout: the same characters as ``\\uXXXX``.
"""

from __future__ import annotations

import logging
import re

REPLACEMENT = "\ufffd"

#: Directional formatting characters (Unicode UAX #9): embeddings, overrides, isolates, marks.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_OTHER = "\u2028\u2029"  # line and paragraph separators: some terminals break the line on them

_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}{_OTHER}\ud800-\udfff]")
_UNSAFE_KEEP_LINES = re.compile(f"\r(?!\n)|[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f{BIDI}{_OTHER}\ud800-\udfff]")
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
# Variation selectors and skin tones, whose width terminals disagree on; and the joiner of an emoji
# sequence ("🧑‍💻"), which Rich counts as one glyph but cuts apart where a dialog covers it (the
# rest of the line then shifts): joined emoji are drawn as their parts.
_MODIFIERS = "\ufe0e\ufe0f\U0001f3fb-\U0001f3ff"
_WIDTH_AMBIGUOUS = re.compile(f"[{_MODIFIERS}]|(?<=[{_EMOJI}{_MODIFIERS}])\u200d(?=[{_EMOJI}])")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI}{_OTHER}\ud800-\udfff{_MODIFIERS}]")


def _placeholder(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def _single_line(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char in "\t\n\r" else _placeholder(char)


def _keep_lines(match: re.Match[str]) -> str:
    return _placeholder(match.group())


def file_safe(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control, bidi and lone-surrogate character replaced (see the module); emoji kept."""
    if multiline:
        return _UNSAFE_KEEP_LINES.sub(_keep_lines, text)
    return _UNSAFE.sub(_single_line, text)


def terminal_safe(text: str, *, multiline: bool = False) -> str:
    """:func:`file_safe`, and the emoji modifiers whose width terminals disagree on dropped."""
    return file_safe(_WIDTH_AMBIGUOUS.sub("", text), multiline=multiline)


def is_terminal_safe(text: str) -> bool:
    return _UNSAFE.search(text) is None and _WIDTH_AMBIGUOUS.search(text) is None


def json_safe(encoded: str) -> str:
    """JSON text (as ``orjson``/``json`` write it) with DEL, C1, bidi, lone surrogates and the
    width-ambiguous emoji modifiers as ``\\uXXXX``.

    These characters can only occur inside JSON strings, where the escape means the same character:
    the document is unchanged for any JSON reader, and inert on a terminal. (C0 is escaped by every
    JSON encoder already.)
    """
    return _JSON_UNSAFE.sub(_json_escape, encoded)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON spells an astral character as its UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


class TerminalSafeFormatter(logging.Formatter):
    """Log lines for a terminal (stderr): messages quote untrusted text such as file names and titles."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record), multiline=True)


class FileSafeFormatter(logging.Formatter):
    """Log lines for a file (which ``tail -f`` shows in a terminal): no control, escape or bidi character."""

    def format(self, record: logging.LogRecord) -> str:
        return file_safe(super().format(record), multiline=True)
