"""The export's JSON writer escapes on the encoded bytes exactly what ``text_safety.json_safe`` escapes
on text: checked over every code point (a change to one set that the other misses fails here)."""

from __future__ import annotations

import orjson

from tests.helpers.export_samples import SAMPLES
from tests.helpers.hostile_text import EMOJI, ESCAPES
from workshop_tui.export_json import ExportDocument, dump_json, encode_json, json_safe_bytes
from workshop_tui.text_safety import json_safe

#: Every code point UTF-8 can carry (lone surrogates cannot be encoded, and orjson refuses them).
EVERY = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def test_every_code_point_is_escaped_alike_on_bytes_and_on_text() -> None:
    encoded = orjson.dumps(EVERY)
    assert json_safe_bytes(encoded) == json_safe(encoded.decode()).encode()


def test_each_escaped_character_alone_and_between_others() -> None:
    unsafe = [c for c in EVERY if json_safe(orjson.dumps(c).decode()) != orjson.dumps(c).decode()]
    assert "\x7f" in unsafe and "\u202e" in unsafe and "\U0001f3fb" in unsafe  # the set is not empty
    for c in unsafe:
        encoded = orjson.dumps(f"é{c}x{c}{c}…")
        assert json_safe_bytes(encoded) == json_safe(encoded.decode()).encode(), hex(ord(c))
        assert orjson.loads(json_safe_bytes(encoded)) == f"é{c}x{c}{c}…"  # the same data for a reader


def test_a_few_characters_in_a_long_document() -> None:
    """A big export holds a few of these characters among many plain bytes: each is escaped where it is
    (the writer looks for their first bytes, not through every byte), and text like them is left alone."""
    unsafe = [c for c in EVERY if json_safe(orjson.dumps(c).decode()) != orjson.dumps(c).decode()]
    padding = "bike lane near the school " * 40
    for c in [*unsafe, "\xe9", "\u2019", "\u2014", "\u20ac", "\ufe0f", "\U0001f600"]:
        encoded = orjson.dumps([padding, f"{c}x{c}", padding, "caf\xe9 \u2019s", c])
        assert json_safe_bytes(encoded) == json_safe(encoded.decode()).encode(), hex(ord(c))
    plain = orjson.dumps([padding, "caf\xe9 \u2019s \u2014 \u20ac5", padding])
    assert json_safe_bytes(plain) == plain


def test_an_export_document_reads_back_the_same() -> None:
    data = {"text": "bike \u202elane\u202c \U0001f44d\U0001f3fd caf\xe9 \x7f\x85", "n": [1, "\u2028"]}
    for indent in (True, False):
        out = encode_json(data, indent=indent)
        assert all(raw not in out for raw in (b"\xe2\x80\xae", b"\x7f", b"\xc2\x85", b"\xf0\x9f\x8f\xbd"))
        assert orjson.loads(out) == data


def test_the_document_is_written_as_encode_json_writes_its_dump() -> None:
    """``dump_json`` serialises in pydantic-core, not through ``model_dump``: the same bytes, for every
    character a note can hold (the escapes, the emoji, every code point), indented and compact."""
    doc = ExportDocument.model_validate_json((SAMPLES / "MAKE.json").read_bytes())
    texts = [*ESCAPES.values(), EMOJI, "".join(EVERY[:0x3000]), "".join(EVERY[0x3000::97]), '"\\/\b\f\n\r\t']
    ideas = [i.model_copy(update={"text": t}) for i, t in zip(doc.ideas, texts * len(doc.ideas), strict=False)]
    doc = doc.model_copy(update={"ideas": ideas, "workshop": doc.workshop.model_copy(update={"title": EMOJI})})
    for indent in (True, False):
        assert dump_json(doc, indent=indent) == encode_json(doc.model_dump(mode="json", by_alias=True), indent=indent)
