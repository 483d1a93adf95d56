"""The core never imports the TUI (design.md section 1)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import workshop_tui


def test_no_core_module_imports_textual() -> None:
    modules = [
        m.name
        for m in pkgutil.walk_packages(workshop_tui.__path__, "workshop_tui.")
        if m.name != "workshop_tui.__main__"
    ]
    assert "workshop_tui.service" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'screens'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
