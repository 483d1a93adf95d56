"""Participant text in the Markdown report makes no link, image or HTML under real GitHub-flavoured
renderers (cmark-gfm, markdown-it with linkify), and still reads as what was typed."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt

from tests.conftest import workshop_in
from workshop_tui.export_json import build_export
from workshop_tui.export_markdown import FULLWIDTH_AT, md_text, render_by_department, render_markdown
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

HOSTILE = [
    "https://evil.example/x?a=1&b=2",
    "HTTPS://EVIL.EXAMPLE",
    "http://192.168.0.1:8080/admin",
    "www.evil.example",
    "WWW.EVIL.EXAMPLE.",
    "evil.example",
    "see evil.example/path?q=1 now",
    "mailto:ana@evil.example",
    "ana@evil.example",
    "ana.b+tag@sub.evil.example",
    "xmpp:foo@bar.example",
    "ftp://files.evil.example",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "//evil.example",
    "<https://evil.example>",
    "<ana@evil.example>",
    "[x](https://evil.example)",
    "[x][r]\n\n[r]: https://evil.example",
    "![i](https://evil.example/i.png)",
    "<img src=x onerror=alert(1)>",
    "<a href='https://evil.example'>x</a>",
    "&lt;https://evil.example&gt; &#104;ttps://evil.example h&#116;tps://x.example",
    "\\https://evil.example https\\://evil.example www\\.evil.example",
    "(https://evil.example) https://evil.example).",
    "https://例え.テスト/パス",
    "пример.рф",
    "user@例え.jp",
    "x。example x．example",
    "@mention and #123",
    "***https://evil.example*** _www.evil.example_ ~~www.evil.example~~",
    "https://evil.example/a_b_c `code` https://evil.example`x`",
    "a https://x.example b www.y.example c z@w.example d",
    "[url=http://evil.example]x[/url]",
]

ALLOWED_TAGS = {"p", "h1", "h2", "h3", "em", "strong", "table", "thead", "tbody", "tr", "th", "td", "ul", "li"}


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.other: list[str] = []  # comments, declarations, processing instructions

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.other.append(data)

    def handle_decl(self, decl: str) -> None:
        self.other.append(decl)


def _markdown_it_gfm(text: str) -> str:
    return str(MarkdownIt("gfm-like").render(text))  # linkify (fuzzy links and e-mails), tables, raw HTML on


def _markdown_it_linkify(text: str) -> str:
    return str(MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "table"]).render(text))


def _cmark_gfm(text: str) -> str:
    # Unsafe: raw HTML is passed through, so any that slipped in shows up here.
    rendered: str = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    return rendered


RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown-it gfm-like": _markdown_it_gfm,
    "markdown-it linkify": _markdown_it_linkify,
    "cmark-gfm": _cmark_gfm,
}


def inert(rendered: str) -> Collect:
    parsed = Collect()
    parsed.feed(rendered)
    assert "<a" not in rendered and "<img" not in rendered, rendered
    assert set(parsed.tags) <= ALLOWED_TAGS and not parsed.other, rendered
    return parsed


def typed(text: str) -> str:
    """What the reader should see: the text on one line (an '@' starting a word is the full-width one)."""
    return re.sub(r"@(?=\w)", FULLWIDTH_AT, " ".join(text.split()))


@pytest.mark.parametrize("renderer", RENDERERS.values(), ids=list(RENDERERS))
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_itself_without_links(renderer: Callable[[str], str], text: str) -> None:
    parsed = inert(renderer(md_text(text)))
    assert "".join(parsed.text).strip() == typed(text)


def test_the_renderers_do_make_links_of_raw_text() -> None:
    """Otherwise the test above would prove nothing."""
    for name, renderer in RENDERERS.items():
        linked = [t for t in HOSTILE if "<a " in renderer(t)]
        assert len(linked) >= 10, (name, linked)


async def test_a_report_full_of_links_links_nothing(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, idea_max_length=400)
    ideas = [await service.post_idea(code, text, source=Source.FACILITATOR) for text in HOSTILE]
    await service.set_phase(code, Phase.GROUP)
    for n, text in enumerate(HOSTILE[:5]):
        theme = await service.create_theme(code, text)
        await service.set_idea_theme(code, ideas[n].id, theme.id)
    for phase in (Phase.VOTE, Phase.TEAMS, Phase.BACKLOG):
        await service.set_phase(code, phase)
    items = await service.convert_to_backlog(code, [i.id for i in ideas[:3]])
    for n, item in enumerate(items):
        await service.update_backlog_item(
            item.id,
            {
                "owner": {"name": "ana@evil.example", "contact": HOSTILE[n], "public": True},
                "problem": " ".join(HOSTILE),
                "budget_requests": [{"amount": "10", "purpose": HOSTILE[n + 3]}],
                "asks": [{"kind": "space", "department": HOSTILE[n + 6], "detail": HOSTILE[n + 9]}],
                "status": "approved",
                "note": HOSTILE[n + 12],
            },
        )
    doc = build_export(service.view(code))
    for report in (render_markdown(doc), render_by_department(doc)):
        for renderer in RENDERERS.values():
            inert(renderer(report))
