"""--anonymize: stable pseudonyms everywhere; a name survives only as a consenting owner."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers.cli import run_cli
from workshop_tui.anonymize import NOT_PUBLIC, anonymize
from workshop_tui.demo import build_demo
from workshop_tui.export_json import build_export, dump_json
from workshop_tui.service import WorkshopService


def names_in(text: str, names: list[str]) -> list[str]:
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]


async def test_no_real_name_survives_in_any_format(service: WorkshopService, tmp_path: Path) -> None:
    await build_demo(service)
    doc = build_export(service.view("MAKE"))
    public_item = next(b for b in doc.backlog if b.owner.public)
    # A second owner who did not consent, named in the history by the service ("owner: NAME").
    private_item = next(b for b in doc.backlog if not b.owner.public and b.owner.name)
    private = private_item.owner.name
    await service.update_backlog_item(
        private_item.id, {"owner": {"name": private, "contact": "private@example.org"}, "note": f"{private} agreed"}
    )
    await service.update_backlog_item(public_item.id, {"note": f"asked {private} for help"})
    await service.flush()
    everyone = [p.name for p in doc.participants]
    hidden = [n for n in everyone if n != public_item.owner.name]
    data_dir = service.data_dir
    await service.close()

    def run(*args: str) -> str:  # the command in-process: its process contract is tests/cli's
        out = run_cli(data_dir, "export", "MAKE", *args)
        assert out.returncode == 0, out.stderr
        return out.stdout

    plain = run("--format", "json")
    assert set(names_in(plain, hidden)) == set(hidden)  # the test would see a leak
    outputs = {
        "json": run("--format", "json", "--anonymize"),
        "csv ideas": run("--format", "csv", "--anonymize"),
        "md": run("--format", "md", "--anonymize"),
        "md departments": run("--format", "md", "--by-department", "--anonymize"),
        "decidim": run("--format", "decidim", "--anonymize"),
    }
    run("--format", "csv", "--anonymize", "-o", str(tmp_path / "tables"))
    for table in (tmp_path / "tables").iterdir():
        outputs[table.name] = table.read_text()
    for label, text in outputs.items():
        assert names_in(text, hidden) == [], label
        assert "private@example.org" not in text, label
    assert "Participant 1" in outputs["json"] and public_item.owner.name in outputs["json"]


def test_pseudonyms_are_stable_and_follow_joining_order() -> None:
    from tests.helpers.export_samples import SAMPLES
    from workshop_tui.importer import read_export

    doc = read_export(SAMPLES / "MAKE.json")
    first, second = anonymize(doc), anonymize(doc)
    assert dump_json(first) == dump_json(second)
    assert [p.name for p in first.participants] == [f"Participant {n}" for n in range(1, len(doc.participants) + 1)]
    for before, after in zip(doc.backlog, first.backlog, strict=True):
        if before.owner.public:
            assert after.owner == before.owner
        elif before.owner.name:
            assert after.owner.name.startswith("Participant ") or after.owner.name == NOT_PUBLIC
            assert after.owner.contact == ""
