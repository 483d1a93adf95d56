"""Every key of every screen, read from the ``BINDINGS`` of the app and of each screen class.

Only keys this app declares are listed: Textual's own (ctrl+c "help quit", super+c copy, focus
cycling) are framework internals a facilitator does not need on the projected help.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable, Static

from screens.navigation import screen_classes
from screens.widgets.steady_footer import SteadyFooter


def bindings_of(node_class: type[DOMNode]) -> list[Binding]:
    """The bindings the app's own classes declare for ``node_class`` (a subclass's key wins), in order.

    A key one class binds twice does one thing or the other by state (``o`` opens the ballot, then
    closes it; ``check_action`` picks): it is one row with both descriptions."""
    by_key: dict[str, tuple[type[DOMNode], Binding]] = {}
    for cls in reversed(node_class.__mro__):
        if cls.__module__.split(".")[0] == "textual":
            continue
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            if binding.action == "noop":
                continue
            earlier = by_key.get(binding.key)
            if earlier is not None and earlier[0] is cls and describe(earlier[1]) != describe(binding):
                binding = replace(binding, description=f"{describe(earlier[1])} / {describe(binding)}")
            by_key[binding.key] = (cls, binding)
    return [binding for _, binding in by_key.values()]


def describe(binding: Binding) -> str:
    return binding.description or binding.tooltip or binding.action.replace("_", " ")


def section_name(node_class: type[DOMNode]) -> str:
    name = node_class.__name__
    for suffix in ("Screen", "App"):
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
    return name


class HelpScreen(Screen[None]):
    DEFAULT_CSS = """
    HelpScreen { layout: vertical; }
    HelpScreen > #help-title { height: 1; padding: 0 1; background: $panel; color: $accent; }
    HelpScreen > DataTable { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("q", "close", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text("Keys · everywhere first, then per screen · ctrl+p finds every command"), id="help-title")
        table: DataTable[Text] = DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        yield table
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(Text("Where", style="bold"), Text("Key", style="bold"), Text("What", style="bold"))
        classes: list[type[DOMNode]] = [type(self.app), *screen_classes(), HelpScreen]
        for node_class in classes:
            where = "Everywhere" if node_class is type(self.app) else section_name(node_class)
            for binding in bindings_of(node_class):
                key = self.app.get_key_display(binding)
                table.add_row(Text(where, style="bold"), Text(key, style="bold yellow"), Text(describe(binding)))
        table.focus()

    def rows(self) -> list[tuple[str, str, str]]:
        table: DataTable[Any] = self.query_one(DataTable)
        return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]  # type: ignore[misc]

    def action_close(self) -> None:
        self.dismiss(None)
