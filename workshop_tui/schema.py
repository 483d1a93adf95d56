"""The published JSON Schema of the export format, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from workshop_tui.export_json import ExportDocument

SCHEMA_ID = "https://workshop-tui.invalid/schemas/export-v1.schema.json"
SCHEMA_FILE = "export-v1.schema.json"


def export_schema() -> dict[str, Any]:
    schema = ExportDocument.model_json_schema(by_alias=True, mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
