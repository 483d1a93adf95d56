"""The prototype backlog: the screen (table, panels, palette commands), the item editor and its form
rows, and the review meeting."""
