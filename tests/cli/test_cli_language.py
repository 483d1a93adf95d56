"""`workshop-tui new --language`: the room's language, by flag or from the facilitator's locale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli

NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}


def made(tmp_path: Path, *args: str, env: dict[str, str]) -> dict[str, object]:
    done = run_cli(tmp_path, "new", "Puistot", "--json", *args, env={**NO_LOCALE, **env})
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    exported = run_cli(tmp_path, "export", str(info["code"]), "--format", "json")
    workshop: dict[str, object] = json.loads(exported.stdout)["workshop"]
    assert workshop["language"] == info["language"]
    return workshop


@pytest.mark.parametrize(
    ("args", "env", "language", "languages"),
    [
        (["--language", "fi"], {"LANG": "nl_NL.UTF-8"}, "fi", []),  # the flag wins over the locale
        ([], {"LANG": "sv_FI.UTF-8"}, "sv", []),  # else the facilitator's locale
        ([], {"LANG": "de_DE.UTF-8"}, "en", []),  # a locale not shipped: English
        ([], {}, "en", []),
        (["--language", "fi", "--languages", "sv, en"], {}, "fi", ["sv", "en"]),
    ],
)
def test_new_sets_the_language(
    tmp_path: Path, args: list[str], env: dict[str, str], language: str, languages: list[str]
) -> None:
    workshop = made(tmp_path, *args, env=env)
    assert (workshop["language"], workshop["languages"]) == (language, languages)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--language", "de"], "invalid choice: 'de'"),
        (["--languages", "fi,xx"], "unknown language 'xx'; shipped: en, fi, sv, nl"),
    ],
)
def test_an_unknown_language_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    done = run_cli(tmp_path, "new", "x", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "workshops").exists() or not list((tmp_path / "workshops").iterdir())
