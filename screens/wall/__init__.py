"""The wall (ideate and group phases): the screen, its keys, moderation with undo, merging, and the
dialogs only the wall opens (merge, duplicate suggestions, theme picker)."""
