"""Reading a v1 export back: parse and check it fully before anything is written.

``read_export`` turns a file into an :class:`ExportDocument` or raises :class:`Invalid` with one clear
line (missing file, not JSON, not our format, a future version, a schema or reference error).
Import accepts what the published JSON Schema accepts, no more: the file is validated against it
first (types as written: no ``"5"`` for an integer, no ``0`` for a boolean; timestamps with a time
zone; amounts as bounded decimal strings), then by the models (cross-field rules the schema cannot
state, such as ``max_dots_per_idea <= dots_per_participant``), then its references are checked.
``documents`` gives the store documents the service writes in one durable batch. Participants come
back without tokens: their phones cannot reconnect to an imported workshop (they join again), and
rankings for team formation (preferences) are not part of an export.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import BaseModel, ValidationError

from workshop_tui.errors import Conflict, Invalid
from workshop_tui.export_json import FORMAT, VERSION, ExportDocument
from workshop_tui.ids import new_id
from workshop_tui.models import Participant, Source, TableName, Vote
from workshop_tui.state import vote_id

if TYPE_CHECKING:
    import jsonschema_rs

    from workshop_tui.service.view import WorkshopView

#: The workshop id names its directory, so it must be a plain name.
SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: RFC 3339 ``date-time`` (what JSON Schema's format means): the offset is not optional.
_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)$")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_LINE = 300


def shown(value: object) -> str:
    """A value from the file, safe in one terminal line: quoted, control and bidi characters escaped."""
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        return not isinstance(value, str)  # formats constrain strings only
    try:
        return dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.match(value)) and dt.date.fromisoformat(value) is not None
    except ValueError:
        return False


@cache
def _validator() -> jsonschema_rs.Draft202012Validator:
    import jsonschema_rs

    from workshop_tui.schema import export_schema

    return jsonschema_rs.Draft202012Validator(
        export_schema(), formats={"date-time": _is_date_time, "date": _is_date}, validate_formats=True
    )


def _where(path: Iterable[object]) -> str:
    return ".".join(str(p) if isinstance(p, int) or SAFE_ID.match(str(p)) else shown(p) for p in path) or "(top)"


def _printable(text: str) -> str:
    """A message that may quote the file (an unexpected key): control and bidi characters escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _schema_line(raw: dict[str, Any]) -> str | None:
    errors = _validator().iter_errors(raw)
    first = next(errors, None)
    if first is None:
        return None
    others = sum(1 for _ in errors)
    message, kind, value = first.message, type(first.kind).__name__, first.instance
    if kind == "AnyOf" and isinstance(value, str):  # a nullable field: say what the value is not
        kind, message = "Format", '"date-time"' if "T" in value.upper() else '"date"'
    if kind == "Format" and '"date-time"' in message:
        message = f"{shown(value)} is not a date-time with a time zone (RFC 3339)"
    elif kind == "Format" and '"date"' in message:
        message = f"{shown(value)} is not a date (YYYY-MM-DD)"
    elif len(message) > 160:
        message = f"{shown(value)} is not valid here ({kind})"
    more = f" (and {others} more problems)" if others else ""
    return f"{_where(first.instance_path)}: {_printable(message)}{more}"


def _validation_line(exc: ValidationError) -> str:
    err = exc.errors()[0]
    more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return f"{_where(err['loc'])}: {str(err['msg']).removeprefix('Value error, ')}{more}"


def _one_line(text: str) -> str:
    return text if len(text) <= _LINE else text[: _LINE - 1] + "…"


def parse_export(data: bytes, source: str = "the file") -> ExportDocument:
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise Invalid(f"{source} is not valid JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise Invalid(f"{source} is not a workshop-tui export: expected a JSON object")
    if "format" not in raw:
        raise Invalid(f'{source} is not a workshop-tui export: it has no "format" (expected {FORMAT!r})')
    if raw["format"] != FORMAT:
        raise Invalid(f"{source} is not a workshop-tui export: format is {shown(raw['format'])}, expected {FORMAT!r}")
    version = raw.get("version")
    if "version" not in raw:
        raise Invalid(f'{source} has no export "version" (expected {VERSION})')
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise Invalid(
            f"{source} is export version {version}; this workshop-tui reads version {VERSION}: upgrade workshop-tui"
        )
    if version != VERSION or isinstance(version, bool):
        raise Invalid(f"{source} has an unknown export version {shown(version)} (expected {VERSION})")
    problem = _schema_line(raw)
    if problem is not None:
        raise Invalid(_one_line(f"{source} does not match the export schema: {problem}"))
    try:
        doc = ExportDocument.model_validate(raw)
    except ValidationError as exc:
        raise Invalid(_one_line(f"{source} does not match the export schema: {_validation_line(exc)}")) from None
    check_references(doc, source)
    return doc


def read_export(path: Path) -> ExportDocument:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Invalid(f"no such file: {path}") from None
    except IsADirectoryError:
        raise Invalid(f"{path} is a directory, not an export file") from None
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_export(data, str(path))


def check_references(doc: ExportDocument, source: str = "the export") -> None:
    """Every id a document refers to exists, and everything belongs to the one workshop."""
    problems = [
        *_workshop_problems(doc),
        *_wall_problems(doc),
        *_vote_problems(doc),
        *_team_problems(doc),
        *_backlog_problems(doc),
    ]
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise Invalid(_one_line(f"{source} is inconsistent: {problems[0]}{more}"))


def _workshop_problems(doc: ExportDocument) -> list[str]:
    w = doc.workshop
    problems: list[str] = []
    if not SAFE_ID.match(w.id):
        problems.append(f"workshop id {shown(w.id)} is not a plain id (letters, digits, - and _)")
    if not w.code.strip() or w.code != w.code.strip().upper():
        problems.append(f"join code {shown(w.code)} must be upper case")
    for kind, found in (("participant", doc.participants), ("theme", doc.themes), ("idea", doc.ideas)):
        ids = [x.id for x in found]
        if len(set(ids)) != len(ids):
            problems.append(f"duplicate {kind} ids")
    return problems


def _wall_problems(doc: ExportDocument) -> list[str]:
    """Themes and notes: of this workshop, with known themes, authors and merge targets."""
    w, problems = doc.workshop, list[str]()
    people, themes, ideas = {p.id for p in doc.participants}, {t.id for t in doc.themes}, {i.id for i in doc.ideas}
    for t in doc.themes:
        if t.workshop_id != w.id:
            problems.append(f"theme {shown(t.id)} belongs to another workshop")
    for i in doc.ideas:
        if i.workshop_id != w.id:
            problems.append(f"idea {shown(i.id)} belongs to another workshop")
        if i.theme_id is not None and i.theme_id not in themes:
            problems.append(f"idea {shown(i.id)} has an unknown theme {shown(i.theme_id)}")
        if i.author_id is not None and i.author_id not in people:
            problems.append(f"idea {shown(i.id)} has an unknown author {shown(i.author_id)}")
        if i.merged_into is not None and i.merged_into not in ideas:
            problems.append(f"idea {shown(i.id)} is merged into an unknown idea {shown(i.merged_into)}")
    return problems


def _vote_problems(doc: ExportDocument) -> list[str]:
    """Votes on known notes by known people, one entry each, within each person's budget."""
    problems: list[str] = []
    people, ideas = {p.id for p in doc.participants}, {i.id for i in doc.ideas}
    seen_votes = set()
    for v in doc.votes:
        if v.idea_id not in ideas:
            problems.append(f"a vote is on an unknown idea {shown(v.idea_id)}")
        if v.participant_id is not None and v.participant_id not in people:
            problems.append(f"a vote is by an unknown participant {shown(v.participant_id)}")
        key = vote_id(v.participant_id, v.idea_id)
        if key in seen_votes:
            problems.append(f"two vote entries for {shown(key)}")
        seen_votes.add(key)
    placed: dict[str, int] = {}
    for v in doc.votes:
        if v.participant_id is not None:
            placed[v.participant_id] = placed.get(v.participant_id, 0) + v.dots
    budget = doc.workshop.settings.dots_per_participant
    for person, dots in placed.items():
        if dots > budget:
            problems.append(f"participant {shown(person)} placed {dots} dots, more than the {budget} each person has")
    return problems


def _team_problems(doc: ExportDocument) -> list[str]:
    w, problems = doc.workshop, list[str]()
    people, ideas = {p.id for p in doc.participants}, {i.id for i in doc.ideas}
    members = [m for team in doc.teams for m in team.member_ids]
    if len(set(members)) != len(members):
        problems.append("someone is a member of two teams")
    for c in w.team_candidates:
        if c not in ideas:
            problems.append(f"team candidate {shown(c)} is not an idea")
    for team in doc.teams:
        if team.workshop_id != w.id:
            problems.append(f"team {shown(team.id)} belongs to another workshop")
        if team.idea_id not in ideas:
            problems.append(f"team {shown(team.id)} forms around an unknown idea")
        if any(m not in people for m in team.member_ids):
            problems.append(f"team {shown(team.id)} has an unknown member")
        if team.champion_id is not None and team.champion_id not in people:
            problems.append(f"team {shown(team.id)} has an unknown champion")
    return problems


def _backlog_problems(doc: ExportDocument) -> list[str]:
    w, problems = doc.workshop, list[str]()
    ideas, teams = {i.id for i in doc.ideas}, {t.id for t in doc.teams}
    for b in doc.backlog:
        if b.workshop != w.id:
            problems.append(f"backlog item {shown(b.id)} belongs to another workshop")
        if any(i not in ideas for i in b.idea_ids):
            problems.append(f"backlog item {shown(b.id)} refers to an unknown idea")
        if b.team_id is not None and b.team_id not in teams:
            problems.append(f"backlog item {shown(b.id)} refers to an unknown team")
    if len({t.id for t in doc.teams}) != len(doc.teams) or len({b.id for b in doc.backlog}) != len(doc.backlog):
        problems.append("duplicate team or backlog item ids")
    decidim_ids = [b.decidim_id for b in doc.backlog if b.decidim_id is not None]
    if len(set(decidim_ids)) != len(decidim_ids):
        problems.append("two backlog items are linked to the same Decidim result")
    return problems


def check_backlog_ids(doc: ExportDocument, others: Iterable[WorkshopView]) -> list[str]:
    """Backlog item ids are global (the admin API edits ``/backlog/{id}``): the ids of ``doc``'s items
    that another workshop here already uses."""
    taken = {item_id: view.code for view in others if view.id != doc.workshop.id for item_id in view.backlog}
    return [b.id for b in doc.backlog if b.id in taken]


def refuse_backlog_clashes(doc: ExportDocument, others: Iterable[WorkshopView]) -> None:
    views = list(others)
    clashes = check_backlog_ids(doc, views)
    if clashes:
        owner = next(v.code for v in views if clashes[0] in v.backlog)
        more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
        raise Conflict(
            f"backlog item id {shown(clashes[0])}{more} is already used by workshop {owner}; nothing imported "
            "(--as-new-code imports a copy with fresh ids)"
        )


def with_fresh_ids(doc: ExportDocument) -> ExportDocument:
    """A copy of the workshop: every entity id replaced by a new one, all references followed.

    Ids are replaced wherever a string equals one; ids of 16 characters or more are also replaced
    inside free text (history entries such as "merged <id>: ...").
    """
    old = [doc.workshop.id]
    old += [p.id for p in doc.participants] + [t.id for t in doc.themes] + [i.id for i in doc.ideas]
    old += [t.id for t in doc.teams] + [b.id for b in doc.backlog]
    mapping = {o: new_id() for o in dict.fromkeys(old)}
    long_ids = [o for o in mapping if len(o) >= 16]
    pattern = re.compile("|".join(re.escape(o) for o in sorted(long_ids, key=len, reverse=True))) if long_ids else None

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            if value in mapping:
                return mapping[value]
            return pattern.sub(lambda m: mapping[m.group(0)], value) if pattern else value
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    data = walk(doc.model_dump(mode="json", by_alias=True))
    return ExportDocument.model_validate(data)


def store_ops(doc: ExportDocument) -> list[list[Any]]:
    """The store's put operations for an imported workshop (participants without tokens)."""
    return [
        ["p", table, doc_id, model.model_dump(mode="json", by_alias=True)] for table, doc_id, model in documents(doc)
    ]


def documents(doc: ExportDocument) -> list[tuple[TableName, str, BaseModel]]:
    """The store documents of an imported workshop: (table, id, document)."""
    w = doc.workshop
    out: list[tuple[TableName, str, BaseModel]] = [("workshop", w.id, w)]
    out += [
        (
            "participants",
            p.id,
            Participant(id=p.id, workshop_id=w.id, name=p.name, skills=p.skills, token_hash="", joined_at=p.joined_at),
        )
        for p in doc.participants
    ]
    out += [("themes", t.id, t) for t in doc.themes]
    out += [("ideas", i.id, i) for i in doc.ideas]
    out += [
        (
            "votes",
            vote_id(v.participant_id, v.idea_id),
            Vote(
                id=vote_id(v.participant_id, v.idea_id),
                workshop_id=w.id,
                participant_id=v.participant_id,
                idea_id=v.idea_id,
                dots=v.dots,
                source=Source(v.source),
            ),
        )
        for v in doc.votes
    ]
    out += [("teams", t.id, t) for t in doc.teams]
    out += [("backlog", b.id, b) for b in doc.backlog]
    return out
