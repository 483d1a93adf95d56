"""Build the site's files from workshops, and write them into a folder.

Layout (every link between pages is relative, so the folder works from any address or from disk)::

    index.html, style.css, reviews.ics          the workshops, the departments, every review date
    w/CODE/index.html, feed.atom, reviews.ics   one workshop; its feed and its review dates
    w/CODE/ITEM.atom                            one prototype's feed
    departments/SLUG.html                       what one department was asked, and how it answered

Each workshop's files are in its language (``Workshop.language``); the index, the department pages and the
site's calendar span workshops, so they use the language most of the workshops use (ties: the first by join
code), English when there are none (docs/publish.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop_tui.locales import DEFAULT
from workshop_tui.publish.options import SiteOptions
from workshop_tui.publish.text import carriable

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from workshop_tui.export_json import ExportDocument
    from workshop_tui.service.view import WorkshopView

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
def environment(lang: str = DEFAULT) -> Environment:
    """The templates in ``lang``: ``{% trans %}`` and ``gettext()`` from its catalog (new-style, so the
    variables of a message are escaped like any other), ``label()`` for status codes, ``|money`` and ``|day``
    by its CLDR data."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from workshop_tui.report_words import Words

    env = Environment(
        loader=PackageLoader("workshop_tui.publish", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    words = Words(lang)
    env.install_gettext_translations(words.tr, newstyle=True)  # type: ignore[attr-defined]
    env.globals["label"] = words.label
    env.filters["money"] = words.money
    env.filters["day"] = words.day
    env.filters["number"] = words.number
    env.filters["u"] = _user
    env.filters["pct"] = lambda f: f"{100 * float(f):.1f}"
    return env


def documents(views: Iterable[WorkshopView]) -> list[ExportDocument]:
    """The public documents: anonymised (consent as in the exports), by join code."""
    from workshop_tui.exports import prepare

    return sorted((prepare(v, anonymized=True) for v in views), key=lambda d: d.workshop.code)


def site_language(docs: Sequence[ExportDocument]) -> str:
    """The language of the pages that span workshops: the one most workshops use (ties: the first by join
    code, as ``docs`` are sorted), English when there are none."""
    counts = Counter(doc.workshop.language for doc in docs)
    return max(counts, key=lambda lang: counts[lang]) if counts else DEFAULT  # max keeps the first of a tie


def build_site(views: Sequence[WorkshopView], options: SiteOptions) -> Files:
    from workshop_tui.publish.calendar import event_blocks, review_calendar
    from workshop_tui.publish.feeds import item_feed, workshop_feed
    from workshop_tui.publish.text import file_id
    from workshop_tui.publish.views import as_of_moment, departments, workshop_page
    from workshop_tui.report_words import Words

    now = as_of_moment(options.as_of)
    docs = documents(views)
    pages = [workshop_page(doc, now) for doc in docs]
    lang = site_language(docs)
    files: Files = {}
    every_event: list[bytes] = []

    def render(path: str, template: str, lang: str, **context: Any) -> None:
        root = "../" * path.count("/")
        html = (
            environment(lang)
            .get_template(template)
            .render(root=root, lang=lang, as_of=options.as_of, base_url=options.base_url, **context)
        )
        files[path] = html.encode("utf-8")

    for doc, page in zip(docs, pages, strict=True):
        base = f"w/{doc.workshop.code}/"
        render(base + "index.html", "workshop.html", page.lang, page=page)
        files[base + "feed.atom"] = workshop_feed(doc, options, base)
        blocks = event_blocks(doc, options)
        every_event += blocks
        calendar_name = Words(page.lang).tr.gettext("Reviews: {title}").format(title=doc.workshop.title)
        files[base + "reviews.ics"] = review_calendar(calendar_name, blocks)
        for item in doc.backlog:
            files[base + f"{file_id(item.id)}.atom"] = item_feed(doc, item, options, base)
    every_item = [item for doc in docs for item in doc.backlog]
    every_ask = [a for page in pages for p in page.prototypes for a in p.asks]
    by_department = departments(every_item, every_ask, options.as_of)
    for dep in by_department:
        codes = sorted({a.workshop_code for a in dep.asks})
        render(f"departments/{dep.slug}.html", "department.html", lang, dep=dep, codes=codes)
    render("index.html", "index.html", lang, pages=pages, departments=by_department)
    files["reviews.ics"] = review_calendar(Words(lang).tr.gettext("Workshop reviews"), every_event)
    files["style.css"] = environment().get_template("style.css").render().encode("utf-8")
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
        if not Path(name).is_absolute() and ".." not in Path(name).parts and path.is_file():  # only inside DIR
            path.unlink()
    write_atomic(manifest, "".join(f"{name}\n" for name in files).encode("utf-8"))
    return gone
