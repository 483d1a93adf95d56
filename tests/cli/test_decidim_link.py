"""The Decidim round trip as a facilitator runs it: export, import into (a re-implementation of) Decidim,
Decidim's own results export, `decidim link`, export again: the second import updates, nothing is new."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import workshop_in
from tests.helpers.cli import run_cli, run_cli_subprocess
from tests.helpers.decidim_import import Organization, import_results, results_export, results_export_json
from tests.helpers.hostile_text import ESCAPES, terminal_problems
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

ORG = Organization("en", ["en", "fi"])


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    made = run_cli(tmp_path / "data", "demo")
    assert made.returncode == 0, made.stderr
    return tmp_path / "data"


def export(data_dir: Path, tmp: Path, *extra: str) -> str:
    out = tmp / "results.csv"
    done = run_cli(data_dir, "export", "MAKE", "--format", "decidim", "--locale", "en,fi", "-o", str(out), *extra)
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def into_decidim(text: str, org: Organization, first_id: int = 500) -> dict[int, dict[str, Any]]:
    """Import as Decidim would; returns the component's results by their new ids."""
    outcome = import_results(text, org)
    assert outcome.errors == []
    results = dict(org.results) | outcome.updated
    results |= {first_id + n: r for n, r in enumerate(outcome.created)}
    return results


def items(data_dir: Path) -> dict[str, Any]:
    done = run_cli(data_dir, "backlog", "--json")
    return {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}


@pytest.mark.parametrize("with_external_id", [True, False], ids=["by-our-id", "by-title"])
def test_link_then_export_updates_instead_of_duplicating(
    demo_dir: Path, tmp_path: Path, with_external_id: bool
) -> None:
    results = into_decidim(export(demo_dir, tmp_path), ORG)
    assert len(results) == 4
    downloaded = tmp_path / "decidim-export.csv"
    downloaded.write_text(results_export(results, ORG, with_external_id=with_external_id))

    done = run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded))
    assert done.returncode == 0, done.stderr
    how = "4 by our id, 0 by title" if with_external_id else "0 by our id, 4 by title"
    assert f"Linked 4 of 4 backlog items to Decidim results ({how}, 0 already linked); 4 changed" in done.stdout
    linked = items(demo_dir)
    assert sorted(i["decidim_id"] for i in linked.values()) == sorted(results)
    assert all(results[i["decidim_id"]]["external_id"] == i["id"] for i in linked.values())

    again = export(demo_dir, tmp_path)
    org = Organization("en", ["en", "fi"], results=results)
    second = import_results(again, org)
    assert second.errors == [] and second.created == [] and sorted(second.updated) == sorted(results)

    relinked = run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded))
    assert "(0 by our id, 0 by title, 4 already linked); 0 changed" in relinked.stdout


def test_decidims_json_export_links_too(demo_dir: Path, tmp_path: Path) -> None:
    results = into_decidim(export(demo_dir, tmp_path), ORG)
    downloaded = tmp_path / "decidim-export.json"
    downloaded.write_text(results_export_json(results, ORG))
    done = run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded))
    assert done.returncode == 0 and "Linked 4 of 4" in done.stdout and "4 by title" in done.stdout
    downloaded.write_text('[{"id": "12", "title": {"en": "x"}}]')
    refused = run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded))
    assert refused.returncode == 1 and "record 1: no Decidim result id" in refused.stderr


def test_the_link_is_durable_and_in_the_json_export(demo_dir: Path, tmp_path: Path) -> None:
    results = into_decidim(export(demo_dir, tmp_path), ORG)
    downloaded = tmp_path / "decidim-export.csv"
    downloaded.write_text(results_export(results, ORG))
    dry = run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded), "--dry-run", "--json")
    plan = json.loads(dry.stdout)
    assert dry.returncode == 0 and plan["changed"] == [] and len(plan["links"]) == 4
    assert {link["by"] for link in plan["links"]} == {"title"} and plan["ambiguous"] == plan["unmatched"] == []
    assert all(i["decidim_id"] is None for i in items(demo_dir).values())  # a dry run records nothing
    assert run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded)).returncode == 0
    doc = json.loads(run_cli(demo_dir, "export", "MAKE").stdout)
    assert sorted(b["decidim_id"] for b in doc["backlog"]) == sorted(results)
    tables = tmp_path / "tables"
    assert run_cli(demo_dir, "export", "MAKE", "--format", "csv", "-o", str(tables)).returncode == 0
    with (tables / "backlog.csv").open(newline="") as f:
        assert sorted(int(r["decidim_id"]) for r in csv.DictReader(f)) == sorted(results)  # open data carries it
    before = {i["id"]: (i["updated_at"], len(i["history"])) for i in items(demo_dir).values()}
    assert before == {b["id"]: (b["updated_at"], len(b["history"])) for b in doc["backlog"]}


def test_ambiguous_and_unmatched_items_are_listed_and_left_alone(demo_dir: Path, tmp_path: Path) -> None:
    results = into_decidim(export(demo_dir, tmp_path), ORG)
    ids = sorted(results)
    duplicate = dict(results[ids[0]])
    results[900] = duplicate  # the same file imported twice: two results for one item
    gone = results.pop(ids[1])  # a result deleted in Decidim: its item stays unlinked
    results[901] = {"title": {"en": "A result from another process"}, "description": {"en": "x"}}
    downloaded = tmp_path / "decidim-export.csv"
    downloaded.write_text(results_export(results, ORG))

    done = run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded))
    assert done.returncode == 0, done.stderr
    assert "Linked 2 of 4" in done.stdout
    ambiguous = [line for line in done.stdout.splitlines() if "ambiguous:" in line]
    assert len(ambiguous) == 1 and duplicate["external_id"] in ambiguous[0] and f"{ids[0]}, 900" in ambiguous[0]
    unmatched = [line for line in done.stdout.splitlines() if "unmatched:" in line]
    assert len(unmatched) == 1 and gone["external_id"] in unmatched[0]
    assert "results of no item of MAKE: 901" in done.stdout
    assert "--set ITEM=RESULT" in done.stderr
    linked = items(demo_dir)
    assert linked[duplicate["external_id"]]["decidim_id"] is None and linked[gone["external_id"]]["decidim_id"] is None

    settled = run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded), "--set", f"{duplicate['external_id']}=900")
    assert settled.returncode == 0 and "ambiguous" not in settled.stdout
    assert items(demo_dir)[duplicate["external_id"]]["decidim_id"] == 900
    clash = run_cli(demo_dir, "decidim", "link", "MAKE", str(downloaded), "--set", f"{gone['external_id']}=900")
    assert clash.returncode == 1 and "already linked" in clash.stderr and clash.stderr.count("\n") == 1


def test_hostile_titles_match_and_stay_inert(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    titles = ['=HYPERLINK("http://evil.example")', "-5 benches", ESCAPES["osc2"], ESCAPES["csi"]]

    async def build() -> str:
        async with WorkshopService(data_dir) as service:
            code = await workshop_in(service, Phase.IDEATE)
            ideas = [await service.post_idea(code, f"idea {n}", source=Source.FACILITATOR) for n in range(len(titles))]
            for phase in (Phase.GROUP, Phase.VOTE, Phase.TEAMS):
                await service.set_phase(code, phase)
            made = await service.convert_to_backlog(code, [i.id for i in ideas])
            for item, title in zip(made, titles, strict=True):
                await service.update_backlog_item(item.id, {"title": title})
            return code

    code = asyncio.run(build())
    out = tmp_path / "results.csv"
    assert run_cli(data_dir, "export", code, "--format", "decidim", "-o", str(out)).returncode == 0
    results = into_decidim(out.read_text(encoding="utf-8"), Organization())
    downloaded = tmp_path / "decidim-export.csv"
    downloaded.write_text(results_export(results, Organization()))  # titles come back as '=HYPERLINK(...)
    extra = titles[-1]
    results[999] = {"title": {"en": extra}, "description": {"en": "x"}}  # a second result with one title
    downloaded.write_text(results_export(results, Organization()))
    done = run_cli(data_dir, "decidim", "link", code, str(downloaded))
    assert done.returncode == 0, done.stderr
    assert "Linked 3 of 4" in done.stdout and "(0 by our id, 3 by title" in done.stdout
    assert "ambiguous" in done.stdout and terminal_problems(done.stdout + done.stderr) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name;title/en\n1;x\n", "no id column"),
        ("id;name\n1;x\n", "no title/<locale> column"),
        ("id;title/en\nabc;x\n", "line 2: the id 'abc' is not a Decidim result id"),
        ("id;title/en\n1;x\n1;y\n", "lists a result id twice"),
        ('id;title/en\n1;"x\n', "not a readable CSV"),
    ],
)
def test_a_file_that_is_not_a_results_export_is_refused(
    demo_dir: Path, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    done = run_cli(demo_dir, "decidim", "link", "MAKE", str(bad))
    assert done.returncode == 1 and message in done.stderr and done.stderr.count("\n") == 1
    assert all(i["decidim_id"] is None for i in items(demo_dir).values())


def test_set_needs_item_equals_result(demo_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id;title/en\n")
    done = run_cli(demo_dir, "decidim", "link", "MAKE", str(empty), "--set", "nope")
    assert done.returncode == 2 and "write ITEM=RESULT" in done.stderr
    missing = run_cli(demo_dir, "decidim", "link", "MAKE", str(empty), "--set", "nope=3")
    assert missing.returncode == 1 and "no backlog item 'nope'" in missing.stderr


def test_a_locale_list_without_the_workshops_language_exits_2(demo_dir: Path) -> None:
    """In a real process: one line on stderr, exit code 2, nothing on stdout."""
    done = run_cli_subprocess(demo_dir, "export", "MAKE", "--format", "decidim", "--locale", "fi,sv")
    assert done.returncode == 2 and done.stdout == b""
    assert (
        done.stderr.count(b"\n") == 1 and b"--locale 'fi,sv' must start with the workshop's language, en" in done.stderr
    )


def test_item_ids_from_an_imported_file_stay_inert_in_the_listing(demo_dir: Path, tmp_path: Path) -> None:
    """Ids come from files (`import` keeps them): the listing passes them through the one sanitiser."""
    dumped = tmp_path / "make.json"
    assert run_cli(demo_dir, "export", "MAKE", "--format", "json", "-o", str(dumped)).returncode == 0
    doc = json.loads(dumped.read_text(encoding="utf-8"))
    doc["backlog"][0]["id"] = "item" + ESCAPES["osc2"]
    dumped.write_text(json.dumps(doc), encoding="utf-8")
    other = tmp_path / "other"
    imported = run_cli(other, "import", str(dumped))
    assert imported.returncode == 0, imported.stderr
    nothing = tmp_path / "decidim-export.csv"
    nothing.write_text("id;title/en\n", encoding="utf-8")  # Decidim has no result yet: every item is unmatched
    done = run_cli(other, "decidim", "link", "MAKE", str(nothing))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("unmatched:") == len(doc["backlog"])
    assert terminal_problems(done.stdout + done.stderr) == []
