"""The published JSON Schema equals the models, and real exports validate against it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from workshop_tui.demo import build_demo
from workshop_tui.export_json import build_export
from workshop_tui.paths import shipped_data_dir
from workshop_tui.schema import SCHEMA_FILE, export_schema
from workshop_tui.service import WorkshopService


def test_committed_schema_matches_the_models() -> None:
    committed = json.loads((shipped_data_dir() / "schemas" / SCHEMA_FILE).read_text())
    assert committed == export_schema(), "run `workshop-tui schema > data/schemas/export-v1.schema.json`"


async def test_the_demo_export_validates(service: WorkshopService, data_dir: Path) -> None:
    await build_demo(service)
    doc = build_export(service.view("MAKE")).model_dump(mode="json", by_alias=True)
    jsonschema.Draft202012Validator(export_schema()).validate(doc)
    assert "token" not in json.dumps(doc) and "token_hash" not in json.dumps(doc)
