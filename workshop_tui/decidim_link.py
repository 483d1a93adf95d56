"""``decidim link``: match Decidim's own results export to a workshop's backlog, so that later exports
carry each result's ``id`` and an import updates it instead of creating a duplicate.

Decidim's admin export of results (``ResultSerializer``, flattened by ``Exporters::CSV`` with ``/``)
has ``id``, ``title/<locale>`` per locale, ``description/<locale>``, ``status/...``, ``progress``,
``url``, ``proposal_urls`` and, in versions that keep it, ``external_id``; cells are separated by
``Decidim.default_csv_col_sep`` and a cell starting with ``= + - @`` gets a leading ``'``
(``custom_sanitize``), as ours do. Its JSON export has the same hashes unflattened; both are read.

Matching, per backlog item: the result whose ``external_id`` is the item's id (our export writes
it); else the one result whose title, in any locale, equals the item's title once normalised
(:func:`normalised_title`). Two results for one item (a file imported twice) or one title shared by
two items or results are ambiguous: listed, and left for the facilitator. An existing link is never
undone by a file that lacks its result.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from typing import Literal

import orjson
from pydantic import BaseModel, Field

from workshop_tui.errors import Invalid
from workshop_tui.export_csv import FORMULA_START
from workshop_tui.models import DECIDIM_ID_MAX, BacklogItem
from workshop_tui.text_safety import terminal_safe

#: The separators tried, in order, when the file's is not given.
SEPARATORS = (";", ",", "\t", "|")
#: Bigger than any results export of a component; a file beyond it is not one.
MAX_BYTES = 64 * 1024 * 1024


class DecidimResult(BaseModel):
    id: int = Field(ge=1, le=DECIDIM_ID_MAX)
    titles: list[str] = Field(description="the title in each locale the export has")
    external_id: str = ""


class Link(BaseModel):
    item_id: str
    decidim_id: int
    by: Literal["kept", "external_id", "title"]


class Ambiguity(BaseModel):
    item_id: str
    title: str
    candidates: list[int] = Field(description="the Decidim result ids it could be")


class LinkPlan(BaseModel):
    links: list[Link] = Field(default_factory=list)
    ambiguous: list[Ambiguity] = Field(default_factory=list)
    unmatched: list[str] = Field(default_factory=list, description="items no result matches")
    kept_absent: list[str] = Field(
        default_factory=list, description="linked items whose result is not in the file (kept)"
    )
    foreign: list[int] = Field(default_factory=list, description="results that match no item of this workshop")


def normalised_title(text: str) -> str:
    """What two titles must share to match: as the exporters write them (control characters as the
    projector's placeholders), NFKC, case folded, runs of spaces as one, and no formula guard (``'=x``
    as both exporters write ``=x``)."""
    line = " ".join(unicodedata.normalize("NFKC", terminal_safe(text, multiline=True)).split())
    if line[:1] == "'" and line[1:2] in FORMULA_START:
        line = line[1:]
    return line.casefold()


def read_results(data: bytes, separator: str | None = None) -> list[DecidimResult]:
    """The results of Decidim's results export (CSV, or its JSON export). Raises ``Invalid`` naming
    what is wrong."""
    if len(data) > MAX_BYTES:
        raise Invalid(f"the file has more than {MAX_BYTES // 2**20} MB: not a results export")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the file is not UTF-8 text: give Decidim's results export (CSV)") from None
    if text.lstrip().startswith("["):
        return _unique(_json_results(text))
    first = text.split("\n", 1)[0].rstrip("\r")
    tried = [separator] if separator else [s for s in SEPARATORS if "id" in first.split(s)]
    if not tried or "id" not in first.split(tried[0]):
        raise Invalid("the file has no id column: give Decidim's results export (Accountability, Export, CSV)")
    sep = tried[0]
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error as exc:
        raise Invalid(f"the file is not a readable CSV: {exc}") from None
    header = rows[0].keys() if rows else first.split(sep)
    title_columns = [name for name in header if name and name.startswith("title/")]
    if not title_columns:
        raise Invalid("the file has no title/<locale> column: give Decidim's results export")
    results = []
    for line, row in enumerate(rows, start=2):
        raw = (row.get("id") or "").strip()
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= DECIDIM_ID_MAX:
            raise Invalid(f"line {line}: the id {raw[:20]!r} is not a Decidim result id")
        titles = [t for name in title_columns if (t := row.get(name) or "").strip()]
        external = (row.get("external_id") or "").strip()
        results.append(DecidimResult(id=int(raw), titles=titles, external_id=external))
    return _unique(results)


def _json_results(text: str) -> list[DecidimResult]:
    """Decidim's JSON export: the serializer's hashes unflattened (``"title": {"en": ...}``)."""
    try:
        rows = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise Invalid(f"the file is not valid JSON: {exc}") from None
    results = []
    for n, row in enumerate(rows if isinstance(rows, list) else [None], start=1):
        if not isinstance(row, dict) or type(row.get("id")) is not int or not 1 <= row["id"] <= DECIDIM_ID_MAX:
            raise Invalid(f"record {n}: no Decidim result id: give Decidim's results export")
        title = row.get("title")
        titles = [t for t in title.values() if isinstance(t, str) and t.strip()] if isinstance(title, dict) else []
        external = row.get("external_id")
        results.append(
            DecidimResult(
                id=row["id"], titles=titles, external_id=external.strip() if isinstance(external, str) else ""
            )
        )
    return results


def _unique(results: list[DecidimResult]) -> list[DecidimResult]:
    ids = [r.id for r in results]
    if len(set(ids)) != len(ids):
        raise Invalid("the file lists a result id twice: not one component's results export")
    return results


def plan_links(items: Iterable[BacklogItem], results: list[DecidimResult]) -> LinkPlan:
    """Which result each item is (see the module doc). Pure: the caller records ``links``."""
    plan = LinkPlan()
    by_id = {r.id: r for r in results}
    claimed: set[int] = set()
    pending: list[BacklogItem] = []
    ordered = sorted(items, key=lambda i: (i.created_at, i.id))
    for item in ordered:  # 1. links already recorded, when the file confirms them
        if item.decidim_id is not None and item.decidim_id in by_id:
            plan.links.append(Link(item_id=item.id, decidim_id=item.decidim_id, by="kept"))
            claimed.add(item.decidim_id)
        else:
            pending.append(item)
    by_external: dict[str, list[int]] = {}
    for r in results:
        if r.external_id and r.id not in claimed:
            by_external.setdefault(r.external_id, []).append(r.id)
    by_title: dict[str, list[int]] = {}
    for r in results:
        for title in {normalised_title(t) for t in r.titles}:
            by_title.setdefault(title, []).append(r.id)
    titles_of_items: dict[str, int] = {}
    for item in ordered:
        key = normalised_title(item.title)
        titles_of_items[key] = titles_of_items.get(key, 0) + 1
    left: list[BacklogItem] = []
    for item in pending:  # 2. our id, kept by Decidim as external_id
        found = by_external.get(item.id, [])
        if len(found) == 1:
            plan.links.append(Link(item_id=item.id, decidim_id=found[0], by="external_id"))
            claimed.add(found[0])
        elif found:
            plan.ambiguous.append(Ambiguity(item_id=item.id, title=item.title, candidates=sorted(found)))
        else:
            left.append(item)
    for item in left:  # 3. the title, when it names one result and one item
        key = normalised_title(item.title)
        found = [rid for rid in by_title.get(key, []) if rid not in claimed]
        if len(found) == 1 and titles_of_items[key] == 1:
            plan.links.append(Link(item_id=item.id, decidim_id=found[0], by="title"))
            claimed.add(found[0])
        elif found:
            plan.ambiguous.append(Ambiguity(item_id=item.id, title=item.title, candidates=sorted(found)))
        elif item.decidim_id is not None:
            plan.kept_absent.append(item.id)
        else:
            plan.unmatched.append(item.id)
    mentioned = claimed | {rid for a in plan.ambiguous for rid in a.candidates}
    plan.foreign = sorted(r.id for r in results if r.id not in mentioned)
    return plan
