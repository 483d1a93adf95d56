"""`workshop-tui publish` and `follow-url` as a user runs them (in-process, see tests.helpers.cli)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli, run_cli_subprocess
from workshop_tui.publish.site import MANIFEST


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("publish-cli")
    assert run_cli(data_dir, "demo").returncode == 0
    made = run_cli(data_dir, "new", "Second workshop", "--follow-url", "https://city.example/follow/", "--json")
    assert made.returncode == 0, made.stderr
    (data_dir / "second.code").write_text(json.loads(made.stdout)["code"])
    return data_dir


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_publish_writes_the_site_and_a_second_run_gives_the_same_bytes(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = run_cli(demo_dir, "publish", str(out), "--as-of", "2026-12-01", "--json")
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    second = (demo_dir / "second.code").read_text()
    assert line["workshops"] == sorted(["MAKE", second]) and line["removed"] == []
    first = tree(out)
    assert {"index.html", "style.css", "reviews.ics", "w/MAKE/index.html", "w/MAKE/feed.atom", MANIFEST} <= set(first)
    again = run_cli_subprocess(demo_dir, "publish", str(out), "--as-of", "2026-12-01")  # a real process too
    assert again.returncode == 0, again.stderr
    assert tree(out) == first
    assert b"Published 2 workshop(s)" in again.stdout


def test_publish_one_workshop_with_a_base_url(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = run_cli(demo_dir, "publish", str(out), "--workshop", "make", "--base-url", "https://city.example/f")
    assert done.returncode == 0, done.stderr
    files = tree(out)
    assert not any(name.startswith("w/") and not name.startswith("w/MAKE/") for name in files)
    assert b'href="https://city.example/f/w/MAKE/feed.atom"' in files["w/MAKE/feed.atom"]
    assert b'<link rel="canonical" href="https://city.example/f/w/MAKE/index.html">' in files["w/MAKE/index.html"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--workshop", "NOPE"], 1, "NOPE"),
        (["--base-url", "ftp://x.example/"], 2, "http"),
        (["--base-url", "https://x.example/?q=1"], 2, "query"),
        (["--as-of", "yesterday"], 2, "not a date"),
    ],
)
def test_publish_refuses_bad_input_in_one_line(
    demo_dir: Path, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    done = run_cli(demo_dir, "publish", str(tmp_path / "site"), *args)
    assert done.returncode == code, done.stderr
    assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1 and message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def test_publish_into_a_file_is_refused(demo_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "file.html"
    target.write_text("keep me")
    done = run_cli(demo_dir, "publish", str(target))
    assert done.returncode == 2 and "is a file" in done.stderr
    assert target.read_text() == "keep me"


def test_follow_url_is_shown_set_and_cleared(demo_dir: Path) -> None:
    second = (demo_dir / "second.code").read_text()
    shown = run_cli(demo_dir, "follow-url", second)
    assert shown.returncode == 0 and shown.stdout.strip() == "https://city.example/follow/"
    changed = run_cli(demo_dir, "follow-url", second, "https://city.example/w/2", "--json")
    assert json.loads(changed.stdout) == {"code": second, "follow_url": "https://city.example/w/2"}
    exported = json.loads(run_cli(demo_dir, "export", second).stdout)
    assert exported["workshop"]["follow_url"] == "https://city.example/w/2"
    cleared = run_cli(demo_dir, "follow-url", second, "--clear", "--json")
    assert json.loads(cleared.stdout)["follow_url"] is None
    assert "has no follow-up URL" in run_cli(demo_dir, "follow-url", second).stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [(["javascript:alert(1)"], 1), (["https://x.example/", "--clear"], 2), (["https://x.example/ a"], 1)],
)
def test_follow_url_refuses_bad_input(demo_dir: Path, args: list[str], code: int) -> None:
    done = run_cli(demo_dir, "follow-url", "MAKE", *args)
    assert done.returncode == code and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert run_cli(demo_dir, "follow-url", "MAKE").stdout.startswith("MAKE has no follow-up URL")


def test_new_refuses_a_bad_follow_url(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "new", "Shade", "--follow-url", "city.example")
    assert done.returncode == 1 and "http:// or https://" in done.stderr
    assert run_cli(tmp_path, "list", "--json").stdout == ""
