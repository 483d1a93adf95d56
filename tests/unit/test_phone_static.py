"""The phone page's own files: participant text can only ever be inserted as text."""

from __future__ import annotations

import re

import pytest

from tests.helpers.paths import STATIC


@pytest.mark.parametrize(
    "sink", ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"]
)
def test_the_script_has_no_html_sinks(sink: str) -> None:
    assert sink not in (STATIC / "phone.js").read_text()


def test_the_page_has_no_inline_script_style_or_handlers_for_the_csp() -> None:
    html = (STATIC / "phone.html").read_text()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all('src="/static/' in tag for tag in scripts)
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_every_text_attribute_and_title_sink_goes_through_plain() -> None:
    """One `setText` writes text nodes, `el` writes attributes through `oneLine`, and the title too:
    a new sink that bypasses `plain()` fails here (the Chromium test checks the page they produce)."""
    script = (STATIC / "phone.js").read_text()
    assert re.findall(r"\w*\.textContent\s*=.*", script) == ["node.textContent = plain(s); };"]
    assert re.findall(r"document\.title\s*=\s*(\w+)\(", script) == ["oneLine"]
    for call in re.findall(r"setAttribute\(([^;]*)\);", script):
        assert "oneLine(" in call or "String(done" in call, call  # aria-pressed is the page's own true/false
    assert not re.search(r"(?<!document)\.(title|placeholder|ariaLabel|innerText|nodeValue|data)\s*=", script)
