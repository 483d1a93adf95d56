"""Open data: the Data Package validates with the Frictionless reference validator, keys and all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from frictionless import Package, validate
from frictionless.resources import TableResource

from tests.helpers.cli import run_cli
from tests.helpers.export_samples import SAMPLES
from tests.service.test_export_csv_injection import HOSTILE, hostile_workshop
from workshop_tui.export_datapackage import COLUMNS, DESCRIPTOR, TABLES, render_datapackage
from workshop_tui.exports import EXPORTERS, export_files, write_files
from workshop_tui.importer import read_export
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


def errors_of(directory: Path) -> list[Any]:
    report = validate(str(directory / DESCRIPTOR))
    return report.flatten(["rowNumber", "fieldName", "type", "note"])  # type: ignore[no-any-return]


def rows(package: Package, name: str) -> list[Any]:
    resource = package.get_resource(name)
    assert isinstance(resource, TableResource)
    return resource.read_rows()


def write(files: dict[str, bytes], directory: Path) -> Path:
    return write_files(files, EXPORTERS["datapackage"], directory)


def test_the_demo_package_is_valid(tmp_path: Path) -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    directory = write(render_datapackage(doc), tmp_path / "MAKE-datapackage")
    assert errors_of(directory) == []
    package = Package(str(directory / DESCRIPTOR))
    assert [r.name for r in package.resources] == list(TABLES)
    ideas = rows(package, "ideas")
    assert len(ideas) == len(doc.ideas) and all(isinstance(r["dots"], int) for r in ideas)
    backlog = rows(package, "backlog")
    assert {type(r["owner_public"]) for r in backlog} == {bool}
    themed = [r for r in ideas if r["theme_id"]]
    assert themed and {r["theme_id"] for r in themed} <= {t.id for t in doc.themes}


def test_the_descriptor_describes_what_portals_ask_for() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    meta = json.loads(render_datapackage(doc)[DESCRIPTOR])
    assert meta["profile"] == "tabular-data-package" and meta["name"] == "workshop-make"
    assert meta["licenses"][0]["name"] == "CC-BY-4.0" and meta["description"] and meta["title"] == doc.workshop.title
    for resource in meta["resources"]:
        assert resource["description"] and resource["title"]
        assert all(f["description"] and f["type"] for f in resource["schema"]["fields"])
    keys = {r["name"]: r["schema"].get("foreignKeys", []) for r in meta["resources"]}
    assert {"fields": ["idea_id"], "reference": {"resource": "ideas", "fields": ["id"]}} in keys["votes"]
    assert {"fields": ["merged_into"], "reference": {"resource": "", "fields": ["id"]}} in keys["ideas"]


def test_the_schemas_name_the_columns_the_csv_writer_writes() -> None:
    assert list(TABLES) == list(COLUMNS)
    for name, table in TABLES.items():
        assert [f["name"] for f in table.fields] == COLUMNS[name], name


def test_the_package_is_anonymised() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    files = render_datapackage(doc)
    consented = {b.owner.name for b in doc.backlog if b.owner.public}
    names = [p.name for p in doc.participants if p.name and p.name not in consented]
    assert consented and names and not any(name.encode() in data for data in files.values() for name in names)


def test_a_broken_foreign_key_is_caught(tmp_path: Path) -> None:
    """The validator does check the keys: a vote on an idea the package lacks is an error."""
    doc = read_export(SAMPLES / "MAKE.json")
    files = render_datapackage(doc)
    header, *rows = files["ideas.csv"].decode().split("\r\n")
    voted = {v.idea_id for v in doc.votes}
    kept = [r for r in rows if r and r.split(",", 1)[0].strip('"') not in voted]
    files["ideas.csv"] = "\r\n".join([header, *kept, ""]).encode()
    errors = errors_of(write(files, tmp_path / "broken"))
    assert errors and {e[2] for e in errors} == {"foreign-key"}


async def test_hostile_text_stays_text_and_the_package_stays_valid(service: WorkshopService, tmp_path: Path) -> None:
    code = await hostile_workshop(service)
    files = export_files(service.view(code), "datapackage")
    directory = write(files, tmp_path / "hostile")
    assert errors_of(directory) == []
    texts = [r["text"] for r in rows(Package(str(directory / DESCRIPTOR)), "ideas")]
    stored = [i.text for i in service.state(code).ideas.values()]
    assert sorted(t.removeprefix("'") for t in texts) == sorted(t.strip() for t in stored)  # the reader strips
    assert len(stored) == len(HOSTILE)
    assert all(t[:1] not in "=+-@\t\r" for t in texts)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("datapackage-cli")
    assert run_cli(data_dir, "demo").returncode == 0
    return data_dir


def test_cli_writes_the_folder(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "open-data"
    done = run_cli(demo_dir, "export", "MAKE", "--format", "datapackage", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([DESCRIPTOR, *(f"{n}.csv" for n in TABLES)])
    assert errors_of(out) == []
    shown = run_cli(demo_dir, "export", "MAKE", "--format", "datapackage")
    assert json.loads(shown.stdout)["name"] == "workshop-make"
    again = tmp_path / "anonymized"
    assert (
        run_cli(demo_dir, "export", "MAKE", "--format", "datapackage", "--anonymize", "-o", str(again)).returncode == 0
    )
    assert (again / "participants.csv").read_bytes() == (out / "participants.csv").read_bytes()  # always anonymised
    refused = run_cli(demo_dir, "export", "MAKE", "--format", "datapackage", "--locale", "en")
    assert refused.returncode == 2 and "--locale goes with --format decidim" in refused.stderr


async def test_private_notes_stay_out_and_the_follow_up_page_is_the_homepage(
    service: WorkshopService, tmp_path: Path
) -> None:
    w = await service.create_workshop(
        "Private writing", settings={"private_writing": True}, follow_url="https://city.example/follow"
    )
    await service.set_phase(w.code, Phase.IDEATE)
    ann, _ = await service.join(w.code, "Ann")
    secret = await service.post_idea(w.code, "Still private SECRET-PRIVATE", author_id=ann.id)
    assert service.state(w.code).ideas[secret.id].private
    files = export_files(service.view(w.code), "datapackage")
    assert not any(b"SECRET-PRIVATE" in data for data in files.values())
    assert errors_of(write(files, tmp_path / "private")) == []
    meta = json.loads(files[DESCRIPTOR])
    assert meta["homepage"] == "https://city.example/follow"
    for fmt in ("decidim-proposals", "md", "csv"):  # nor in the other outputs
        assert not any(b"SECRET-PRIVATE" in data for data in export_files(service.view(w.code), fmt).values()), fmt
