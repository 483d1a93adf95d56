"""decidim link: record which Decidim result each backlog item is, so exports update instead of duplicate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workshop_tui.commands import UsageError, emit_json, plain
from workshop_tui.commands.workshops import report_messages


def register(sub: Any) -> None:
    p = sub.add_parser("decidim", help="keep a workshop's backlog in step with Decidim")
    actions = p.add_subparsers(dest="decidim_command", metavar="ACTION", required=True)
    link = actions.add_parser(
        "link",
        help="read Decidim's results export and record each backlog item's result id",
        description="Read the CSV (or JSON) that Decidim's admin exports of an accountability component's results and "
        "record, per backlog item, the Decidim result it is: by our id (external_id) where Decidim kept it, "
        "else by exact title. Later `export --format decidim` files carry those ids, so importing them "
        "updates the results instead of creating new ones. Ambiguous and unmatched items are listed and "
        "left alone; settle them with --set.",
    )
    link.add_argument("code")
    link.add_argument("results", type=Path, metavar="RESULTS.csv", help="Decidim's results export (CSV or JSON)")
    link.add_argument("--separator", help="the file's column separator (default: found from its header)")
    link.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="ITEM=RESULT",
        help="link backlog item ITEM to Decidim result RESULT (repeatable; RESULT 0 unlinks)",
    )
    link.add_argument("--dry-run", action="store_true", help="show what would be linked, record nothing")
    link.add_argument("--json", action="store_true", help="print the plan as one JSON line")
    link.set_defaults(handler=cmd_link)


def chosen_links(pairs: list[str]) -> dict[str, int | None]:
    """``--set ITEM=RESULT`` -> {item: result}; 0 unlinks."""
    chosen: dict[str, int | None] = {}
    for pair in pairs:
        item, sep, result = pair.partition("=")
        if not sep or not item.strip() or not (result.strip().isascii() and result.strip().isdigit()):
            raise UsageError(f"--set {pair!r}: write ITEM=RESULT, RESULT a Decidim result id (0 unlinks)")
        chosen[item.strip()] = int(result) or None
    return chosen


async def cmd_link(args: argparse.Namespace, data_dir: Path) -> int:
    from workshop_tui.decidim_link import plan_links, read_results
    from workshop_tui.service import WorkshopService

    chosen = chosen_links(args.set)
    results = read_results(args.results.read_bytes(), args.separator)
    async with WorkshopService(data_dir, read_only=args.dry_run) as service:
        report_messages(service)
        view = service.view(args.code)
        plan = plan_links(view.backlog.values(), results)
        links: dict[str, int | None] = {link.item_id: link.decidim_id for link in plan.links}
        links.update(chosen)
        changed = [] if args.dry_run else await service.link_decidim(view.code, links)
        titles = {item.id: item.title for item in view.backlog.values()}
    if args.json:
        emit_json({**plan.model_dump(mode="json"), "set": chosen, "changed": [i.id for i in changed]})
        return 0
    by = {how: sum(1 for link in plan.links if link.by == how) for how in ("kept", "external_id", "title")}
    verb = "Would link" if args.dry_run else "Linked"
    print(
        f"{verb} {len(plan.links)} of {len(titles)} backlog items to Decidim results "
        f"({by['external_id']} by our id, {by['title']} by title, {by['kept']} already linked)"
        + (f"; {len(chosen)} set by hand" if chosen else "")
        + ("" if args.dry_run else f"; {len(changed)} changed")
    )
    for ambiguity in plan.ambiguous:
        if ambiguity.item_id not in chosen:
            ids = ", ".join(map(str, ambiguity.candidates))
            print(f"  ambiguous: {plain(ambiguity.item_id)}  {plain(ambiguity.title, 60)!r} could be result {ids}")
    for item_id in plan.unmatched:
        if item_id not in chosen:
            print(f"  unmatched: {plain(item_id)}  {plain(titles[item_id], 60)!r} (a new result at the next import)")
    for item_id in plan.kept_absent:
        print(f"  not in the file, link kept: {plain(item_id)}  {plain(titles[item_id], 60)!r}")
    if plan.foreign:
        print(f"  results of no item of {view.code}: {', '.join(map(str, plan.foreign))}")
    if plan.ambiguous or plan.unmatched:
        print(f"Settle them with: workshop-tui decidim link {view.code} FILE --set ITEM=RESULT", file=sys.stderr)
    return 0
