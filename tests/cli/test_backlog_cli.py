"""`workshop-tui backlog` as a user runs it (in-process, see tests.helpers.cli) on a data directory made by `demo`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import run_cli
from workshop_tui.service import WorkshopService


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("backlog-cli")
    made = run_cli(data_dir, "demo")
    assert made.returncode == 0, made.stderr
    return data_dir


def json_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_table_lists_the_demo_backlog(demo_dir: Path) -> None:
    out = run_cli(demo_dir, "backlog")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["ID", "CODE", "TITLE", "OWNER", "STATUS", "BUDGET", "REVIEW", "FLAGS"]
    rows = lines[1:]
    assert len(rows) == 4 and all(" MAKE " in r for r in rows)
    assert sum("OVERDUE" in r for r in rows) == 1
    assert any("2,250.00 EUR" in r and "prototyping" in r for r in rows)  # 1800.00 + 450, two decimals
    assert any("parked" in r for r in rows)


def test_json_lines_carry_items_and_flags(demo_dir: Path) -> None:
    out = run_cli(demo_dir, "backlog", "--json")
    assert out.returncode == 0, out.stderr
    items = json_lines(out.stdout)
    assert len(items) == 4
    for item in items:
        assert item["workshop_code"] == "MAKE"
        assert set(item["flags"]) == {"overdue", "overdue_asks", "stale", "reasons"}
        assert all({"due", "answer", "answered_at"} <= set(a) for a in item["asks"])
        assert all(isinstance(r["amount"], str) for r in item["budget_requests"])
        assert isinstance(item["budget_total"], str)
        assert all("from" in h and "next_review" in h for h in item["history"])
    overdue = [i for i in items if i["flags"]["overdue"]]
    assert len(overdue) == 1 and overdue[0]["flags"]["reasons"][0].startswith("review was due ")
    assert overdue[0]["flags"]["overdue_asks"] == 1  # the demo's ask to Economic Affairs is past due
    assert overdue[0]["flags"]["reasons"][1].startswith("ask to Economic Affairs was due ")
    prototyping = next(i for i in items if i["status"] == "prototyping")
    assert prototyping["budget_total"] == "2250.00"


def test_filters(demo_dir: Path) -> None:
    parked = json_lines(run_cli(demo_dir, "backlog", "--json", "--status", "parked").stdout)
    assert [i["status"] for i in parked] == ["parked"]
    overdue = json_lines(run_cli(demo_dir, "backlog", "--json", "--overdue").stdout)
    assert len(overdue) == 1 and overdue[0]["flags"]["overdue"] is True
    table = run_cli(demo_dir, "backlog", "--overdue").stdout.splitlines()
    assert len(table) == 2 and "OVERDUE" in table[1]
    assert len(json_lines(run_cli(demo_dir, "backlog", "--json", "--workshop", "make").stdout)) == 4
    none = run_cli(demo_dir, "backlog", "--status", "adopted")
    assert none.returncode == 0 and none.stdout == "" and "No backlog items match" in none.stderr
    owner = json_lines(run_cli(demo_dir, "backlog", "--json", "--owner", parked[0]["owner"]["name"]).stdout)
    assert parked[0]["id"] in [i["id"] for i in owner]


def test_ledger(demo_dir: Path) -> None:
    out = run_cli(demo_dir, "backlog", "--ledger", "--json")
    assert out.returncode == 0, out.stderr
    [ledger] = json_lines(out.stdout)
    assert ledger["code"] == "MAKE" and ledger["items"] == 4 and ledger["overdue"] == 1
    assert ledger["budget"]["approved"] == "1800.00" and ledger["budget"]["remaining"] == "13200.00"
    text = run_cli(demo_dir, "backlog", "--ledger").stdout
    assert "overdue now 1 (asks 1)" in text and "asks to Mobility: asked 1, answered 1, overdue 0" in text
    assert ledger["asks_overdue"] == 1
    by_name = {d["department"]: d for d in ledger["asks_by_department"]}
    assert by_name["Economic Affairs"]["overdue"] == 1 and by_name["Mobility"]["median_days_to_answer"] == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--status", "finished"], 2, "invalid choice"),
        (["--workshop", "ZZZZ"], 1, "no workshop with code 'ZZZZ'"),
        (["--bogus"], 2, "unrecognized arguments"),
    ],
)
def test_errors_are_one_line(demo_dir: Path, args: list[str], code: int, message: str) -> None:
    out = run_cli(demo_dir, "backlog", *args)
    assert out.returncode == code
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


async def test_read_only_while_the_tui_holds_the_directory_and_text_is_sanitised(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "demo").returncode == 0
    async with WorkshopService(tmp_path) as service:  # the writer holds the lock, as the TUI would
        item = service.backlog_items()[0]
        await service.update_backlog_item(item.id, {"title": "Evil \x1b[2J title", "owner": {"name": "[b]x[/b]"}})
        out = run_cli(tmp_path, "backlog")
        assert out.returncode == 0, out.stderr
        assert "\x1b" not in out.stdout and "Evil ␛[2J title" in out.stdout and "[b]x[/b]" in out.stdout
        data = json_lines(run_cli(tmp_path, "backlog", "--json").stdout)
        assert any(i["title"] == "Evil \x1b[2J title" for i in data)  # JSON keeps the exact text


def test_due_lists_what_a_review_meeting_goes_through(demo_dir: Path) -> None:
    due = json_lines(run_cli(demo_dir, "backlog", "--json", "--due").stdout)
    # the demo's other reviews are two weeks away: only the overdue item (review and ask) is due
    assert len(due) == 1 and due[0]["flags"]["overdue"] and due[0]["flags"]["overdue_asks"] == 1
    table = run_cli(demo_dir, "backlog", "--due").stdout.splitlines()
    assert len(table) == 2 and "OVERDUE ASK-LATE" in table[1]
