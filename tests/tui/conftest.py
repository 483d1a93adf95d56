from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

from workshop_tui.store import workshop_store


@pytest.fixture(autouse=True)
def collector_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's collector tuning (``settle_gc``: freeze what is alive after each snapshot and MiB journaled, one
    full pass when idle) is made for one app per process. A test process runs some 200 apps one after the
    other: each freeze keeps the finished tests' garbage out of reach, and each idle pass walks all of
    that and the test run's own objects: 0.65 s of CPU a pass, 25 of the TUI tests' 178 s run serially.
    The TUI tests leave Python's collector as it is; the store's tests (tests/service) test the tuning."""
    monkeypatch.setattr(workshop_store, "settle_gc", lambda *, idle: None)


@pytest.fixture(autouse=True, scope="session")
def css_parsed_once_a_process() -> Iterator[None]:
    """Textual parses the CSS of every widget class again for each app (a new stylesheet each, and a new
    one again when the theme or a screen's CSS arrives): about 100 sources an app, a tenth of the CPU of
    an app's start, and a test process starts some 200 apps. The same CSS with the same theme variables
    parses to the same rules, which Textual never changes once parsed (its own cache, one per stylesheet,
    already shares them between parses): here they are parsed once a process."""
    parse = Stylesheet._parse_rules
    parsed: dict[tuple[Any, ...], list[RuleSet]] = {}
    keyed: list[tuple[dict[str, str], tuple[tuple[str, str], ...]]] = []  # the last variables, as a key

    def variables_key(variables: dict[str, str]) -> tuple[tuple[str, str], ...]:
        """Sorted once per set of variables (a stylesheet parses ~100 sources with the same), not per source:
        comparing two dicts is much cheaper than sorting one."""
        if not keyed or keyed[-1][0] != variables:
            keyed[:] = [(dict(variables), tuple(sorted(variables.items())))]
        return keyed[-1][1]

    def parse_once(
        self: Stylesheet,
        css: str,
        read_from: tuple[str, str],
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables_key(self._variables))
        if key not in parsed:
            parsed[key] = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", parse_once)
        yield
