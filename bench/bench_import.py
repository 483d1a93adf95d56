"""What checking an import costs: ``parse_export`` (published schema + models + references) on a big
export, as a ratio to parsing the JSON alone and to the models alone (what import did before it
checked the schema), in this run. And every registered export format of the same workshop, as a
ratio to writing the JSON document.

Run: ``python -m bench.bench_import``. The workshop is the demo sample scaled up: 1,000 participants,
2,000 notes, 3,000 dot allocations, its backlog.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any

import orjson

from workshop_tui.export_json import ExportDocument, dump_json
from workshop_tui.exports import EXPORTERS, ExportOptions
from workshop_tui.importer import parse_export
from workshop_tui.paths import shipped_data_dir

PEOPLE, NOTES, VOTES = 1000, 2000, 3000


def big_export() -> bytes:
    data: dict[str, Any] = json.loads((shipped_data_dir() / "samples" / "MAKE.json").read_text())
    person, idea = data["participants"][0], data["ideas"][0]
    data["participants"] += [{**copy.deepcopy(person), "id": f"bp{n:05}", "name": f"Person {n}"} for n in range(PEOPLE)]
    data["ideas"] += [
        {**copy.deepcopy(idea), "id": f"bi{n:05}", "text": f"Idea number {n}: " + "words " * 30, "author_id": None}
        for n in range(NOTES)
    ]
    data["votes"] += [
        {
            "participant_id": f"bp{n % PEOPLE:05}",
            "idea_id": f"bi{(3 * (n % PEOPLE) + n // PEOPLE) % NOTES:05}",
            "dots": 1,
        }
        for n in range(VOTES)
    ]
    return orjson.dumps(data)


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    raw = big_export()
    parse_export(raw)  # warm: the schema validator is built once per process
    json_only = best_of(5, lambda: orjson.loads(raw))
    models_only = best_of(5, lambda: ExportDocument.model_validate(orjson.loads(raw)))
    full = best_of(5, lambda: parse_export(raw))
    print(f"export of {len(raw) / 1e6:.1f} MB: {PEOPLE} people, {NOTES} notes, {VOTES} votes")
    print(f"  JSON parse only        {json_only * 1000:8.1f} ms  (1.0x)")
    print(f"  models only (before)   {models_only * 1000:8.1f} ms  ({models_only / json_only:.1f}x)")
    print(
        f"  parse_export (now)     {full * 1000:8.1f} ms  ({full / json_only:.1f}x; {full / models_only:.1f}x models)"
    )

    doc = parse_export(raw)
    baseline = best_of(5, lambda: dump_json(doc))
    print(f"\nrender each format of the same workshop, ratio to dump_json ({baseline * 1000:.1f} ms):")
    for exp in EXPORTERS.values():
        elapsed = best_of(5, lambda exp=exp: exp.render(doc, ExportOptions()))  # type: ignore[misc]
        print(f"  {exp.name:17} {elapsed * 1000:8.1f} ms  ({elapsed / baseline:.1f}x)")


if __name__ == "__main__":
    main()
