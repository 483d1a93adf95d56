"""Build the site's files from workshops, and write them into a folder.

Layout (every link between pages is relative, so the folder works from any address or from disk)::

    index.html, style.css, reviews.ics          the workshops, the departments, every review date
    w/CODE/index.html, feed.atom, reviews.ics   one workshop; its feed and its review dates
    w/CODE/ITEM.atom                            one prototype's feed
    departments/SLUG.html                       what one department was asked, and how it answered
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop_tui.publish.options import SiteOptions
from workshop_tui.publish.text import carriable

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from workshop_tui.export_json import ExportDocument
    from workshop_tui.state import WorkshopState

Files = dict[str, bytes]
#: Written into DIR with the site: the files of the last publish, so the next one removes what is gone.
MANIFEST = ".workshop-tui-site"


def _user(text: object) -> Markup:
    """Participant text: escaped, carriable, and isolated for bidi (``{{ x|u }}``)."""
    from markupsafe import Markup, escape

    return Markup("<bdi>") + escape(carriable(str(text))) + Markup("</bdi>")


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return carriable(value)


@cache  # compiling the templates is most of a small site's time; they never change while running
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("workshop_tui.publish", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["u"] = _user
    env.filters["pct"] = lambda f: f"{100 * float(f):.1f}"
    return env


def documents(states: Iterable[WorkshopState]) -> list[ExportDocument]:
    """The public documents: anonymised (consent as in the exports), by join code."""
    from workshop_tui.exports import prepare

    return sorted((prepare(s, anonymized=True) for s in states), key=lambda d: d.workshop.code)


def build_site(states: Sequence[WorkshopState], options: SiteOptions) -> Files:
    from workshop_tui.publish.calendar import event_blocks, review_calendar
    from workshop_tui.publish.feeds import item_feed, workshop_feed
    from workshop_tui.publish.text import file_id
    from workshop_tui.publish.views import as_of_moment, departments, workshop_page

    now = as_of_moment(options.as_of)
    env = environment()
    docs = documents(states)
    pages = [workshop_page(doc, now) for doc in docs]
    files: Files = {}
    every_event: list[bytes] = []

    def render(path: str, template: str, **context: Any) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(root=root, as_of=options.as_of, base_url=options.base_url, **context)
        files[path] = html.encode("utf-8")

    for doc, page in zip(docs, pages, strict=True):
        base = f"w/{doc.workshop.code}/"
        render(base + "index.html", "workshop.html", page=page)
        files[base + "feed.atom"] = workshop_feed(doc, options, base)
        blocks = event_blocks(doc, options)
        every_event += blocks
        files[base + "reviews.ics"] = review_calendar(f"Reviews: {doc.workshop.title}", blocks)
        for item in doc.backlog:
            files[base + f"{file_id(item.id)}.atom"] = item_feed(doc, item, options, base)
    every_item = [item for doc in docs for item in doc.backlog]
    every_ask = [a for page in pages for p in page.prototypes for a in p.asks]
    by_department = departments(every_item, every_ask, options.as_of)
    for dep in by_department:
        codes = sorted({a.workshop_code for a in dep.asks})
        render(f"departments/{dep.slug}.html", "department.html", dep=dep, codes=codes)
    render("index.html", "index.html", pages=pages, departments=by_department)
    files["reviews.ics"] = review_calendar("Workshop reviews", every_event)
    files["style.css"] = env.get_template("style.css").render().encode("utf-8")
    return dict(sorted(files.items()))


def write_site(files: Files, directory: Path) -> list[str]:
    """Write the files atomically into ``directory`` (created) and remove those a previous publish wrote
    that are gone now (only those: the folder may hold other things). Returns the removed paths."""
    from workshop_tui.store.fsync import write_atomic

    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(20, "publish needs a directory", str(directory))
    directory.mkdir(parents=True, exist_ok=True)
    manifest = directory / MANIFEST
    before = set(manifest.read_text("utf-8").splitlines()) if manifest.is_file() else set()
    for name, data in files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (target.is_file() and target.read_bytes() == data):  # unchanged files keep their mtime
            write_atomic(target, data)
    gone = sorted(before - set(files))
    for name in gone:
        path = directory / name
        if ".." not in Path(name).parts and path.is_file():
            path.unlink()
    write_atomic(manifest, "".join(f"{name}\n" for name in files).encode("utf-8"))
    return gone
