"""The wall's keys, the service action each one performs (its phases come from the one table,
``workshop_tui.actions``) and the action that undoes each kind of step."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from workshop_tui.actions import Action

WALL_BINDINGS: list[BindingType] = [
    Binding("a", "add_note", "Add paper note"),
    Binding("e", "edit_note", "Edit"),
    Binding("h", "toggle_hidden", "Hide/show"),
    Binding("H", "show_hidden", "Hidden notes"),
    Binding("home", "first_note", "First", show=False, priority=True),
    Binding("end", "last_note", "Newest", show=False, priority=True),
    Binding("x,delete", "delete_note", "Delete"),
    Binding("u", "undo", "Undo"),
    Binding("t", "move_to_theme", "To theme"),
    Binding("n", "new_theme", "New theme"),
    Binding("m", "merge", "Merge"),
    Binding("U", "unmerge", "Unmerge"),
    Binding("s", "suggest", "Duplicates?"),
    Binding("space", "mark", "Mark"),
    Binding("escape", "clear_marks", "Clear marks"),
    Binding("P", "hide_author", "Hide person's notes"),
    Binding("B", "block_author", "Block person"),
    Binding("W", "toggle_private", "Private writing"),
    Binding("R", "reveal_notes", "Reveal notes"),
]

#: Marks and blocking are moderation, offered where hiding is.
WALL_ACTIONS: dict[str, Action] = {
    "add_note": Action.ADD_NOTE,
    "edit_note": Action.EDIT_NOTE,
    "toggle_hidden": Action.HIDE_NOTE,
    "delete_note": Action.DELETE_NOTE,
    "move_to_theme": Action.MOVE_NOTE,
    "new_theme": Action.CREATE_THEME,
    "merge": Action.MERGE_NOTES,
    "unmerge": Action.UNMERGE_NOTE,
    "suggest": Action.MERGE_NOTES,
    "mark": Action.HIDE_NOTE,
    "clear_marks": Action.HIDE_NOTE,
    "hide_author": Action.HIDE_NOTE,
    "block_author": Action.HIDE_NOTE,
    "toggle_private": Action.EDIT_SETTINGS,
    "reveal_notes": Action.REVEAL_NOTES,
}
#: The keys that act on the highlighted note (greyed out while there is none).
NEEDS_NOTE = frozenset(
    {"edit_note", "toggle_hidden", "delete_note", "move_to_theme", "merge", "unmerge", "mark", "hide_author"}
)
#: The service action that undoes each kind of step (``u`` is offered where it is allowed).
UNDO_ACTIONS: dict[str, Action] = {
    "delete": Action.RESTORE_NOTE,
    "hide": Action.HIDE_NOTE,
    "show": Action.HIDE_NOTE,
    "block": Action.HIDE_NOTE,
    "merge": Action.UNMERGE_NOTE,
    "unmerge": Action.MERGE_NOTES,
}
