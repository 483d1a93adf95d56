"""`import` accepts exactly what the published schema accepts: each refusal is one line, exit code 1 and
nothing written; whatever import accepts can be listed, exported in every format and shown by `backlog`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.export_samples import SAMPLES
from workshop_tui.cli import main
from workshop_tui.exports import EXPORTERS

from .test_import import tree


def sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / "MAKE.json").read_text())
    return data


def with_change(path: str, value: Any) -> dict[str, Any]:
    """The sample with the value at ``a.0.b`` replaced (``...`` as value: removed)."""
    data = sample()
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key_: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key_]
    else:
        node[key_] = value
    return data


def first_budget_item() -> int:
    return next(n for n, b in enumerate(sample()["backlog"]) if b["budget_requests"])


B = first_budget_item()

REFUSED = [
    ("format", ..., 'has no "format"'),
    ("version", ..., 'has no export "version"'),
    ("version", True, "unknown export version True"),
    ("exported_at", "2026-03-14T18:00:00", "exported_at: '2026-03-14T18:00:00' is not a date-time with a time zone"),
    ("ideas.0.created_at", "2026-03-14T09:00:00", "ideas.0.created_at: '2026-03-14T09:00:00' is not a date-time"),
    ("ideas.0.history.0.at", "2026-03-14T09:00:00.5", "ideas.0.history.0.at"),
    ("workshop.created_at", "2026-03-14 09:00:00Z", "workshop.created_at"),
    ("participants.0.joined_at", 1773478800, 'participants.0.joined_at: 1773478800 is not of type "string"'),
    ("backlog.0.next_review", "2026-13-01", "backlog.0.next_review: '2026-13-01' is not a date"),
    (
        "workshop.settings.dots_per_participant",
        "5",
        'workshop.settings.dots_per_participant: "5" is not of type "integer"',
    ),
    ("workshop.settings.anonymous", 0, 'workshop.settings.anonymous: 0 is not of type "boolean"'),
    ("ideas.0.hidden", 1, 'ideas.0.hidden: 1 is not of type "boolean"'),
    ("votes.0.dots", "2", 'votes.0.dots: "2" is not of type "integer"'),
    ("votes.0.dots", 2.0, None),  # accepted: JSON Schema counts 2.0 as an integer (it is stored as 2)
    (
        f"backlog.{B}.budget_requests.0.amount",
        "1E+20000000",
        f'backlog.{B}.budget_requests.0.amount: "1E+20000000" does not match',
    ),
    (f"backlog.{B}.budget_requests.0.amount", 450, 'is not of type "string"'),
    (f"backlog.{B}.budget_requests.0.amount", "1000000000000", "does not match"),
    (f"backlog.{B}.budget_requests.0.amount", "1.234", "does not match"),
    (f"backlog.{B}.budget_requests.0.amount", "0", "does not match"),  # the schema says > 0 too
    ("workshop.settings.budget_pool", "1E+3", 'workshop.settings.budget_pool: "1E+3" does not match'),
    ("workshop.settings.max_dots_per_idea", 50, "max_dots_per_idea cannot exceed dots_per_participant"),
    ("workshop.settings.dots_per_participant", 3, "dots, more than the 3 each person has"),
    ("participants.0.name", "\x1b]2;pwned\x07", None),  # accepted: text is data (escaped where shown)
]


@pytest.mark.parametrize(("path", "value", "message"), REFUSED, ids=[f"{p}={v!r}" for p, v, _ in REFUSED])
def test_a_file_the_schema_refuses_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, value: Any, message: str | None
) -> None:
    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "new", "Already here"]) == 0
    capsys.readouterr()
    before = tree(data_dir)
    file = tmp_path / "export.json"
    file.write_text(json.dumps(with_change(path, value)))
    code = main(["--data-dir", str(data_dir), "import", str(file)])
    err = capsys.readouterr().err
    if message is None:
        assert code == 0, err
        return
    assert code == 1
    assert err.count("\n") == 1 and message in err, err
    assert "\x1b" not in err and "Traceback" not in err
    assert tree(data_dir) == before


def test_hostile_keys_and_ids_reach_the_error_line_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = sample()
    data["ideas"][0]["\x1b[2Jkey\u202e"] = 1
    file = tmp_path / "export.json"
    file.write_text(json.dumps(data))
    assert main(["--data-dir", str(tmp_path / "d"), "import", str(file)]) == 1
    err = capsys.readouterr().err
    assert "\\x1b[2Jkey\\u202e" in err and "\x1b" not in err and "\u202e" not in err
    data = sample()
    data["votes"][0]["idea_id"] = "\x1b]52;c;cm0gLXJmIH4=\x07"
    file.write_text(json.dumps(data))
    assert main(["--data-dir", str(tmp_path / "d"), "import", str(file)]) == 1
    err = capsys.readouterr().err
    assert "unknown idea '\\x1b]52" in err and "\x1b" not in err and "\x07" not in err


def test_backlog_ids_of_another_workshop_are_refused_unless_as_new_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    original = tmp_path / "make.json"
    original.write_text(json.dumps(sample()))
    assert main(["--data-dir", str(data_dir), "import", str(original)]) == 0
    other = sample()  # another workshop (id, code) whose backlog items reuse MAKE's ids
    other["workshop"]["id"], other["workshop"]["code"] = "other-workshop", "OTHER"
    for section in ("themes", "ideas", "teams"):
        for entry in other[section]:
            entry["workshop_id"] = "other-workshop"
    for item in other["backlog"]:
        item["workshop"] = "other-workshop"
    file = tmp_path / "other.json"
    file.write_text(json.dumps(other))
    capsys.readouterr()
    before = tree(data_dir / "workshops")
    assert main(["--data-dir", str(data_dir), "import", str(file)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is already used by workshop MAKE" in err and "--as-new-code" in err
    assert tree(data_dir / "workshops") == before

    assert main(["--data-dir", str(data_dir), "import", str(file), "--as-new-code", "--json"]) == 0
    copy_code = json.loads(capsys.readouterr().out)["code"]
    assert main(["--data-dir", str(data_dir), "backlog", "--json"]) == 0
    items = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ids = [i["id"] for i in items]
    assert len(ids) == 2 * len(sample()["backlog"]) and len(set(ids)) == len(ids)
    assert copy_code != "MAKE"


# ------------------------------------------------------------------------------ fuzz

NASTY: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2,
    50,
    51,
    10**30,
    2.5,
    "",
    " ",
    "5",
    "0",
    "-1",
    "1E+20000000",
    "NaN",
    "1.234",
    "2026-03-14T09:00:00",
    "2026-03-14T09:00:00Z",
    "2026-03-14T09:00:00+14:00",
    "2026-03-14",
    "2026-02-30",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "=cmd|' /C calc'!A0",
    "https://evil.example",
    "\x1b[2J",
    "\u202eevil",
    "a" * 300,
    "id0001",
    "id0023",
    "MAKE",
    "EUR",
    "XXX",
    "requested",
    "approved",
    "visible",
    [],
    {},
    ["id0023"],
    {"x": 1},
]


def paths(node: Any, prefix: str = "") -> list[str]:
    out: list[str] = []
    items = enumerate(node) if isinstance(node, list) else node.items() if isinstance(node, dict) else []
    for key, child in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        out.append(path)
        if len(out) < 4000:
            out += paths(child, path)
    return out


ALL_PATHS = paths(sample())
generic = st.sampled_from(NASTY) | st.integers(-(10**6), 10**6) | st.text(max_size=20) | st.just(...)
LIKE: dict[str, list[Any]] = {  # values close to what a field holds: where the bugs hide
    "datetime": [
        "2026-03-14T09:00:00",
        "2026-03-14T09:00:00.5+05:30",
        "2026-03-14T09:00:00-12:00",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z",
        "2026-03-14",
        0,
    ],
    "date": ["2026-03-14", "2026-02-29", "0001-01-01", "9999-12-31", "2026-03-14T00:00:00Z", 20260314],
    "money": ["0.01", "0", "999999999999.99", "1000000000000", "1E+20000000", "1e3", "-5", "5.", ".5", 5, 5.5],
    "int": [0, -1, 1, 50, 51, 10**18, "1", True, 1.0, 1.5],
    "bool": [0, 1, "true", None, True, False],
    "id": ["id0023", "id0001", "id0041", "", "../x", "x" * 65, None],
}


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        if len(value) > 18 and value[4:5] == "-" and value[10:11] == "T":
            return "datetime"
        if len(value) == 10 and value[4:5] == "-":
            return "date"
        if value.replace(".", "", 1).isdigit():
            return "money"
        if value.startswith("id0"):
            return "id"
    return ""


def at(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data


def mutate(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node = at(data, ".".join(parents)) if parents else data
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return data


@st.composite
def change(draw: st.DrawFn) -> tuple[str, Any]:
    path = draw(st.sampled_from(ALL_PATHS))
    near = LIKE.get(kind(at(sample_data, path)))
    value = draw(st.sampled_from(near) | generic if near else generic)
    return path, value


sample_data = sample()


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(change(), min_size=1, max_size=3))
def test_whatever_import_accepts_every_command_can_handle(
    tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[str, Any]]
) -> None:
    data = sample()
    for path, value in changes:
        try:
            data = mutate(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this path's parent
    root = tmp_path_factory.mktemp("fuzz")
    file = root / "export.json"
    file.write_text(json.dumps(data))
    data_dir = str(root / "data")
    if main(["--data-dir", data_dir, "import", str(file), "--json"]) != 0:
        return  # refused (one line, tested above); nothing to show
    code = data["workshop"]["code"]
    assert main(["--data-dir", data_dir, "list"]) == 0
    assert main(["--data-dir", data_dir, "list", "--json"]) == 0
    for exp in EXPORTERS.values():
        for anonymize in ([], ["--anonymize"]):
            out = root / f"out-{exp.name}{len(anonymize)}"
            assert main(["--data-dir", data_dir, "export", code, "--format", exp.name, "-o", str(out), *anonymize]) == 0
    assert main(["--data-dir", data_dir, "backlog"]) == 0
    assert main(["--data-dir", data_dir, "backlog", "--json"]) == 0
    assert main(["--data-dir", data_dir, "backlog", "--ledger"]) == 0
