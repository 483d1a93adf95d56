"""The TUI's log file is read with ``tail -f`` in a terminal: a logged message that quotes untrusted text
(a file name, a title, an error from a damaged file) carries no control, escape or bidi character into it."""

from __future__ import annotations

import logging
from pathlib import Path

from screens.app_logging import LOG_NAME, TuiLogging
from tests.helpers.hostile_text import ESCAPES, file_problems


async def test_the_log_file_is_inert(tmp_path: Path) -> None:
    logs = TuiLogging(tmp_path)
    logs.install()
    try:
        for kind, text in ESCAPES.items():
            logging.getLogger("workshop_tui.test").warning("quoted %s: %s", kind, text)
    finally:
        logs.remove()
    written = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8")
    assert "PWNED-TITLE" in written and ESCAPES["emoji"] in written  # told, as typed where printable
    assert file_problems(written) == [], file_problems(written)
