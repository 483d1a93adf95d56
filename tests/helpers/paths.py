"""Places in the repository, wherever a test module sits in the tests/ tree."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "workshop_tui" / "static"
ARTIFACTS = ROOT / "artifacts"  # what the browser test saves for a human to look at (git-ignored)
