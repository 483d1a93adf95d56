"""The sample exports in ``data/samples/``: the demo workshop in every format, with frozen time.

The demo is built through the service like a real session, then "frozen": every time is shifted so
the workshop starts at :data:`FROZEN_START`, the export is stamped :data:`FROZEN_EXPORT`, and every
id is renamed in a fixed order, so the files only change when the demo or an exporter changes.
Team formation depends on the (random) ids, so the teams differ from build to build; that is why
the golden tests read the committed ``MAKE.json`` instead of rebuilding the demo.

Regenerate with ``python -m tests.helpers.export_samples`` (then review the diff); after a change to an
exporter only, ``python -m tests.helpers.export_samples --rerender`` renders every format again from the
committed ``MAKE.json`` (same ids and teams, so the diff shows only what the exporter changed).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from workshop_tui.anonymize import anonymize
from workshop_tui.demo import build_demo
from workshop_tui.export_json import ExportDocument, build_export
from workshop_tui.exports import EXPORTERS, ExportOptions
from workshop_tui.paths import shipped_data_dir
from workshop_tui.service import WorkshopService

FROZEN_START = dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC)
FROZEN_EXPORT = dt.datetime(2026, 3, 14, 18, 0, tzinfo=dt.UTC)
SAMPLES = shipped_data_dir() / "samples"
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$")
_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")


def freeze(doc: ExportDocument) -> ExportDocument:
    """Shift all times (and dates, also inside history text) to the frozen calendar; rename ids."""
    started = doc.workshop.created_at
    shift = FROZEN_START - started
    days = dt.timedelta(days=(FROZEN_START.date() - started.date()).days)
    order = [doc.workshop.id, *(p.id for p in doc.participants), *(t.id for t in doc.themes)]
    order += [i.id for i in doc.ideas]
    order += [t.id for t in sorted(doc.teams, key=lambda t: order.index(t.idea_id))]
    order += [b.id for b in sorted(doc.backlog, key=lambda b: order.index(b.idea_ids[0]))]
    names = {old: f"id{n:04d}" for n, old in enumerate(order)}

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            if value in names:
                return names[value]
            if _DATETIME.match(value):
                return (dt.datetime.fromisoformat(value) + shift).isoformat()
            text = _DATE.sub(lambda m: (dt.date.fromisoformat(m.group(0)) + days).isoformat(), value)
            for old, new in names.items():
                text = text.replace(old, new)
            return text
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    data = walk(doc.model_dump(mode="json", by_alias=True))
    data["exported_at"] = FROZEN_EXPORT.isoformat()
    frozen = ExportDocument.model_validate(data)
    # The order of an export (as build_export makes it) with the new ids.
    return frozen.model_copy(
        update={
            "votes": sorted(frozen.votes, key=lambda v: (v.idea_id, v.participant_id or "")),
            "teams": sorted(frozen.teams, key=lambda t: (t.idea_id, t.id)),
            "backlog": sorted(frozen.backlog, key=lambda b: (b.created_at, b.id)),
        }
    )


async def frozen_demo() -> ExportDocument:
    with tempfile.TemporaryDirectory() as tmp:
        async with WorkshopService(Path(tmp)) as service:
            await build_demo(service)
            return freeze(build_export(service.view("MAKE")))


def sample_files(doc: ExportDocument) -> dict[str, bytes]:
    """Relative path under data/samples -> contents, for every format."""
    files: dict[str, bytes] = {}
    anonymous = anonymize(doc)
    plan: list[tuple[str, ExportDocument, ExportOptions, str]] = [
        ("json", doc, ExportOptions(), ""),
        ("json", anonymous, ExportOptions(anonymize=True), "-anonymized"),
        ("md", doc, ExportOptions(), ""),
        ("md", anonymous, ExportOptions(anonymize=True), "-anonymized"),
        ("md", doc, ExportOptions(by_department=True), ""),
        ("decidim", doc, ExportOptions(), ""),
        ("decidim-proposals", doc, ExportOptions(), ""),
    ]
    for fmt, source, options, suffix in plan:
        for name, data in EXPORTERS[fmt].render(source, options).items():
            stem, dot, ext = name.rpartition(".")
            files[f"{stem}{suffix}{dot}{ext}"] = data
    for name, data in EXPORTERS["csv"].render(doc, ExportOptions()).items():
        files[f"MAKE-csv/{name}"] = data
    for name, data in EXPORTERS["datapackage"].render(doc, ExportOptions()).items():
        files[f"MAKE-datapackage/{name}"] = data
    return files


def main() -> None:
    if "--rerender" in sys.argv[1:]:
        from workshop_tui.importer import read_export

        doc = read_export(SAMPLES / "MAKE.json")
    else:
        doc = asyncio.run(frozen_demo())
    for rel, data in sample_files(doc).items():
        path = SAMPLES / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
