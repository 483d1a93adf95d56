"""A plain, non-editable `pip install .` ships the data/ directory, the phone page and the compiled catalogs."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT


@pytest.mark.slow
def test_wheel_install_finds_shipped_data(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("workshop_tui-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True
    )
    # Dependencies come from this venv's site-packages; our own editable path (a .pth file) is not
    # processed from PYTHONPATH, so `workshop_tui` can only be the freshly installed copy.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "WORKSHOP_TUI_HOME": str(tmp_path / "home")}
    python = venv / "bin" / "python"
    where = subprocess.run(
        [python, "-c", "import workshop_tui, screens; print(workshop_tui.__file__); print(screens.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert all(str(target) in line for line in where.stdout.splitlines()), where.stdout
    templates = subprocess.run(
        [python, "-m", "workshop_tui", "templates", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert templates.returncode == 0, templates.stderr
    assert "weekend-hackathon" in templates.stdout
    demo = subprocess.run([python, "-m", "workshop_tui", "demo"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    assert (target / "workshop_tui" / "_shipped_data" / "schemas" / "export-v1.schema.json").is_file()
    assert (target / "workshop_tui" / "static" / "phone.js").is_file()
    # The follow-up site's templates and stylesheet ship in the wheel.
    site = tmp_path / "site"
    published = subprocess.run(
        [python, "-m", "workshop_tui", "publish", str(site)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert published.returncode == 0, published.stderr
    assert (site / "w" / "MAKE" / "index.html").is_file() and (site / "style.css").stat().st_size > 1000
    for lang in ("en", "fi", "sv", "nl"):  # the compiled catalogs ship in the wheel
        assert (target / "workshop_tui" / "locale" / lang / "LC_MESSAGES" / "messages.mo").is_file(), lang
    speak = "from workshop_tui.phone_catalog import catalog; print(catalog('fi')['messages']['joinButton'])"
    finnish = subprocess.run(
        [python, "-c", speak],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert finnish.stdout.strip() == "Liity"
