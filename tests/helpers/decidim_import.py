"""Decidim's two importers, re-implemented step by step to check that our files go in as they are.

Results: decidim-accountability's ``ResultsCsvImporter#import!`` (app/services/decidim/accountability/
results_csv_importer.rb) and the ``Admin::ResultForm`` it fills. Proposals: decidim-admin's
``Import::Importer`` with ``Readers::CSV``, decidim-proposals' ``Import::ProposalCreator`` and
``ProposalsVerifier`` and the model's ``validates :title, :body, presence: true``. Each step names the
Ruby it stands for; where Ruby is more lenient than this (``Date.parse`` reads almost anything), this is
stricter, which errs on the safe side for the files we write.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

#: The result columns the importer (or the form it fills) reads, beside the localized ones.
RESULT_ATTRIBUTES = (
    "id",
    "start_date",
    "end_date",
    "progress",
    "decidim_accountability_status_id",
    "decidim_category_id",
    "decidim_scope_id",
    "parent_id",
    "proposal_ids",
    "project_ids",
    "external_id",
    "weight",
)


@dataclass
class Organization:
    default_locale: str = "en"
    available_locales: list[str] = field(default_factory=lambda: ["en"])
    #: The component's ids of statuses, categories and results (what ``find_by`` would find).
    status_ids: set[int] = field(default_factory=set)
    category_ids: set[int] = field(default_factory=set)
    results: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Outcome:
    errors: list[tuple[int, list[str]]]
    created: list[dict[str, Any]]
    updated: dict[int, dict[str, Any]]


def ruby_csv(text: str, col_sep: str) -> list[dict[str, str | None]]:
    """``CSV.new(text, headers: true, col_sep:)``: rows as header -> cell (the first of a repeated
    header wins, as ``row["x"]`` does); an empty unquoted cell is nil, a quoted empty cell is "";
    a blank line is skipped (``next if row.empty?``)."""
    header, *body = _records(text, col_sep)
    names = [value or "" for value, _ in header]
    rows = []
    for cells in body:
        if cells == [("", False)]:
            continue
        row: dict[str, str | None] = {}
        for i, name in enumerate(names):
            value, quoted = cells[i] if i < len(cells) else ("", False)
            row.setdefault(name, value if value or quoted else None)
        rows.append(row)
    return rows


def _records(text: str, col_sep: str) -> list[list[tuple[str, bool]]]:
    """RFC 4180 as Ruby's CSV reads it (strict: a quote inside an unquoted cell, text after a closing
    quote or an unclosed quote is ``MalformedCSVError``). Each cell: (text, was it quoted)."""
    records: list[list[tuple[str, bool]]] = []
    record: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            j, value = i + 1, []
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise ValueError("MalformedCSVError: unclosed quoted field")
                value.append(text[j:k])
                if text.startswith('"', k + 1):
                    value.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            cell = ("".join(value), True)
        else:
            m = re.compile(rf"[^{re.escape(col_sep)}\r\n]*").match(text, i)
            assert m is not None
            if '"' in m.group(0):
                raise ValueError("MalformedCSVError: illegal quoting")
            cell, i = (m.group(0), False), m.end()
        record.append(cell)
        if text.startswith(col_sep, i):
            i += len(col_sep)
            if i == n:
                record.append(("", False))
        elif text.startswith("\r\n", i) or text.startswith("\n", i):
            i += 2 if text.startswith("\r\n", i) else 1
            records.append(record)
            record = []
        elif i < n:
            raise ValueError("MalformedCSVError: any value after quoted field isn't allowed")
    if record:
        records.append(record)
    return records


def present(value: Any) -> bool:
    """Rails' ``present?``: not nil, not empty, not only whitespace."""
    return value is not None and (not isinstance(value, str) or value.strip() != "")


_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?\s*$")
_SLASH_YMD = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")


def ruby_date_parse(text: str) -> dt.date:
    """Ruby's ``Date.parse`` for the shapes it reads unambiguously (ISO 8601, ``2026/03/14``,
    ``14/03/2026``); ``ArgumentError`` (here ``ValueError``) for an impossible date or anything else."""
    for pattern, order in ((_ISO, "ymd"), (_SLASH_YMD, "ymd"), (_DMY, "dmy")):
        m = pattern.match(text)
        if m:
            parts = dict(zip(order, map(int, m.groups()), strict=True))
            return dt.date(parts["y"], parts["m"], parts["d"])  # ValueError: "invalid date"
    raise ValueError(f"invalid date {text!r}")


def form_key(field_name: str, locale: str) -> str:
    """``translatable_attribute``: the form attribute of one locale, ``"-"`` written as ``"__"``."""
    return f"{field_name}_{locale}".replace("-", "__")


def _locale_attributes(org: Organization, field_name: str, row: dict[str, str | None]) -> dict[str, Any]:
    """``get_locale_attributes``: each available locale's column, or the default locale's one. Note the
    key: ``"#{field}_#{locale}"``, with the hyphen left as it is."""
    out: dict[str, Any] = {}
    for locale in org.available_locales:
        own = row.get(f"{field_name}/{locale}")
        out[f"{field_name}_{locale}"] = own if present(own) else row.get(f"{field_name}/{org.default_locale}")
    return out


def _proposal_ids(urls: str | None) -> list[int]:
    """``get_proposal_ids``: ``url.scan(/\\d$/).first.to_i``, the last digit of each URL."""
    if not present(urls):
        return []
    assert urls is not None
    return [int(m[-1]) if (m := re.findall(r"\d$", url)) else 0 for url in urls.split(";")]


def import_results(text: str, org: Organization, *, col_sep: str = ";") -> Outcome:
    """``ResultsCsvImporter#import!``: the errors by row number (the first data row is 2), and what it
    created and updated; when any row has an error, nothing (``raise ActiveRecord::Rollback``)."""
    errors: list[tuple[int, list[str]]] = []
    created: list[dict[str, Any]] = []
    updated: dict[int, dict[str, Any]] = {}
    attributes = {form_key(f, loc) for f in ("title", "description") for loc in org.available_locales}
    attributes |= set(RESULT_ATTRIBUTES)
    for i, row in enumerate(ruby_csv(text, col_sep), start=2):
        messages: list[str] = []
        params: dict[str, Any] = dict(row)  # params["result"] = row.to_hash
        params |= _locale_attributes(org, "title", row)
        params |= _locale_attributes(org, "description", row)
        if present(row.get("category/id")):
            params["decidim_category_id"] = row["category/id"]
        if present(row.get("status/id")):
            params["decidim_accountability_status_id"] = row["status/id"]
        params["proposal_ids"] = _proposal_ids(row.get("proposal_urls"))
        for name in ("start_date", "end_date"):  # parse_date_params
            value = row.get(name)
            if present(value):
                assert value is not None
                try:
                    params[name] = ruby_date_parse(value)
                except ValueError:
                    messages.append(f"{name} is an invalid date")
        form = {k: v for k, v in params.items() if k in attributes}  # only the form's attributes are kept
        title = {loc: form.get(form_key("title", loc)) for loc in org.available_locales}
        description = {loc: form.get(form_key("description", loc)) for loc in org.available_locales}
        if not present(title[org.default_locale]):  # validates :title, translatable_presence: true
            messages.append(f"Title ({org.default_locale}) can't be blank")
        if not present(description[org.default_locale]):  # older forms validate the description too
            messages.append(f"Description ({org.default_locale}) can't be blank")
        progress: float | None = None
        if present(form.get("progress")):  # numericality: { greater_than_or_equal_to: 0, less_than_or_equal_to: 100 }
            try:
                progress = float(form["progress"])
            except ValueError:
                messages.append("Progress is not a number")
            else:
                if not 0 <= progress <= 100:
                    messages.append("Progress must be between 0 and 100")
        for key, known, what in (
            ("decidim_accountability_status_id", org.status_ids, "Status"),
            ("decidim_category_id", org.category_ids, "Category"),
        ):
            if present(form.get(key)) and _int(form[key]) not in known:
                messages.append(f"{what} can't be blank")
        if present(row.get("parent/id")) and _int(row["parent/id"]) not in org.results:
            messages.append("Parent can't be blank")
        if messages:
            errors.append((i, messages))
            continue
        result = {
            "title": title,
            "description": description,
            "start_date": form.get("start_date"),
            "end_date": form.get("end_date"),
            "progress": progress,
            "external_id": form.get("external_id"),
            "weight": float(form["weight"]) if present(form.get("weight")) else None,
            "proposal_ids": form["proposal_ids"],
        }
        existing = _int(row["id"]) if present(row.get("id")) else None
        if existing is not None and existing in org.results:  # Result.find_by(id: row["id"], component:)
            updated[existing] = result
        else:
            created.append(result)
    if errors:
        return Outcome(errors, [], {})
    return Outcome(errors, created, updated)


def _int(value: Any) -> int | None:
    """ActiveRecord's cast of an id: leading digits, else nothing found."""
    m = re.match(r"\s*(\d+)", str(value))
    return int(m.group(1)) if m else None


def import_proposals(text: str, org: Organization, *, col_sep: str = ";") -> tuple[list[str], list[dict[str, Any]]]:
    """decidim-admin's ``Import::Importer`` for proposals: (errors, the proposals it would create).
    ``Readers::CSV`` reads with ``col_sep: Decidim.default_csv_col_sep, encoding: "BOM|UTF-8"``, the
    verifier wants the headers ``title/<default>`` and ``body/<default>`` (no duplicates), and the
    whole file is refused if any record is invalid."""
    text = text.removeprefix("\ufeff")
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=col_sep, strict=True))
    required = [f"title/{org.default_locale}", f"body/{org.default_locale}"]
    errors = [f"missing header {name}" for name in required if name not in header]
    errors += [f"duplicate header {name}" for name in sorted({h for h in header if header.count(h) > 1})]
    if errors:
        return errors, []
    proposals = []
    for n, row in enumerate(ruby_csv(text, col_sep)):
        record = {k: v for k, v in row.items() if k != "id"}  # ProposalCreator: data.except(:id, "id")
        # locale_hasher: every available locale whose cell is not nil
        title = {loc: record[f"title/{loc}"] for loc in org.available_locales if record.get(f"title/{loc}") is not None}
        body = {loc: record[f"body/{loc}"] for loc in org.available_locales if record.get(f"body/{loc}") is not None}
        if not title or not body:  # validates :title, :body, presence: true (an empty hash is blank)
            errors.append(f"line {n + 2} is invalid")
        proposals.append({"title": title, "body": body})
    return (errors, []) if errors else ([], proposals)


def results_export(
    results: dict[int, dict[str, Any]], org: Organization, *, with_external_id: bool = False, col_sep: str = ";"
) -> str:
    """What Decidim's admin exports of a component's results: ``ResultSerializer#serialize`` flattened
    by ``Exporters::CSV`` (nested keys joined with ``/``, lists with ``", "``), ``custom_sanitize``
    prefixing ``'`` to a cell that starts with ``= + - @``, and Ruby's CSV quoting (only when needed).
    ``with_external_id``: as versions whose serializer also writes ``external_id``."""
    locales = org.available_locales
    header = ["id", "category/id", *(f"category/name/{loc}" for loc in locales), "scope/id"]
    header += [*(f"scope/name/{loc}" for loc in locales), "parent/id"]
    header += [*(f"title/{loc}" for loc in locales), *(f"description/{loc}" for loc in locales)]
    header += ["start_date", "end_date", "status/id", "status/key", *(f"status/name/{loc}" for loc in locales)]
    header += ["progress", "created_at", "url", "component/id", "proposal_urls"]
    if with_external_id:
        header.append("external_id")
    lines = [col_sep.join(header)]
    for rid, r in sorted(results.items()):
        row: dict[str, Any] = {"id": rid, "progress": r.get("progress"), "component/id": 16}
        row |= {f"title/{loc}": r["title"].get(loc) for loc in locales}
        row |= {f"description/{loc}": r["description"].get(loc) for loc in locales}
        row |= {"start_date": r.get("start_date"), "end_date": r.get("end_date"), "proposal_urls": ""}
        row |= {"url": f"https://city.example/processes/p/f/16/results/{rid}", "created_at": "2026-03-20 10:00:00 UTC"}
        if with_external_id:
            row["external_id"] = r.get("external_id")
        lines.append(col_sep.join(_ruby_cell(_sanitize(row.get(name)), col_sep) for name in header))
    return "\n".join(lines) + "\n"


def _sanitize(value: Any) -> Any:
    """``custom_sanitize``: a String starting with = + - @ gets a leading '."""
    return "'" + value if isinstance(value, str) and value[:1] in "=+-@" else value


def _ruby_cell(value: Any, col_sep: str) -> str:
    if value is None:
        return ""
    text = str(value)
    if text == "" or any(c in text for c in (col_sep, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def results_export_json(results: dict[int, dict[str, Any]], org: Organization) -> str:
    """Decidim's JSON export of the same results: ``ResultSerializer#serialize`` as it is (nested)."""
    rows: list[dict[str, Any]] = [
        {
            "id": rid,
            "category": {"id": None, "name": {}},
            "scope": {"id": None, "name": {}},
            "parent": {"id": None},
            "title": {loc: r["title"].get(loc) for loc in org.available_locales},
            "description": {loc: r["description"].get(loc) for loc in org.available_locales},
            "start_date": str(r.get("start_date") or "") or None,
            "end_date": str(r.get("end_date") or "") or None,
            "status": {"id": None, "key": None, "name": {}},
            "progress": r.get("progress"),
            "created_at": "2026-03-20T10:00:00.000Z",
            "url": f"https://city.example/processes/p/f/16/results/{rid}",
            "component": {"id": 16},
            "proposal_urls": [],
        }
        for rid, r in sorted(results.items())
    ]
    return json.dumps(rows, indent=2)
