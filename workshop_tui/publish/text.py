"""Text and names that are safe in every file of the site: HTML, XML (Atom) and iCalendar."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from workshop_tui.text_safety import BIDI

#: What HTML5 reports as a parse error and XML 1.0 cannot carry: C0 controls but tab, newline and carriage
#: return, DEL and the C1 controls, lone surrogates and the noncharacters; and the bidi controls, which would
#: reorder what a feed reader or a calendar shows (and, inside its ``<bdi>``, the page's own words).
_UNCARRIABLE = re.compile(
    f"[{BIDI}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff]"
)
REPLACEMENT = "\ufffd"
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def carriable(text: str) -> str:
    """``text`` with every character HTML and XML cannot carry replaced by U+FFFD (so it stays visible)."""
    return _UNCARRIABLE.sub(REPLACEMENT, text)


def file_id(value: str) -> str:
    """An id as a file name or fragment: as it is when it is plain, else a hash (an imported id may hold "/")."""
    if _SAFE_ID.fullmatch(value):
        return value
    return "h" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def department_slug(key: str) -> str:
    """A readable, unique file name for a department: its ASCII letters and a short hash of its key."""
    ascii_name = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{words or 'department'}-{digest}"
