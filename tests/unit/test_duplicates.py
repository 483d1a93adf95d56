"""Offline duplicate suggestions: pure functions, checked on examples and with properties."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_tui.duplicates import normalize, similarity, suggest_duplicates


def test_normalize_folds_case_accents_and_punctuation() -> None:
    assert normalize("Repair CAFÉ — finder!!") == "repair cafe finder"
    assert normalize("  a [/] b  ") == "a b"


def test_planted_near_duplicate_is_found_first() -> None:
    notes = {
        "1": "Live map of empty bike racks at the station",
        "2": "Reusable cups for all events on municipal ground",
        "3": "Open data on bulky waste pick-ups so reuse shops can collect first",
        "4": "live map of the empty bike-racks at the station!",
        "5": "Pop-up city hall desk in the outer districts every Saturday",
    }
    pairs = suggest_duplicates(notes)
    assert pairs[0].first == "1" and pairs[0].second == "4"
    assert pairs[0].score > 0.8
    assert {(p.first, p.second) for p in pairs} == {("1", "4")}


def test_identical_text_scores_one_and_unrelated_is_not_proposed() -> None:
    assert similarity("More benches!", "more benches") == 1.0
    assert similarity("Shade trees", "Tax forms online") < 0.2
    assert suggest_duplicates({"a": "Shade trees", "b": "Tax forms online"}) == []


def test_typos_and_plurals_still_match() -> None:
    pairs = suggest_duplicates({"a": "Car-free Sunday once a month", "b": "Car free sundays every month"})
    assert [(p.first, p.second) for p in pairs] == [("a", "b")]


def test_threshold_and_limit() -> None:
    notes = {str(n): f"bike parking spot number {n % 3}" for n in range(9)}
    everything = suggest_duplicates(notes, threshold=0.0)
    assert len(suggest_duplicates(notes, threshold=0.0, limit=5)) == 5
    strict = suggest_duplicates(notes, threshold=1.0)
    assert strict and all(p.score == 1.0 for p in strict)
    assert len(strict) < len(everything)
    # sorted best first, ties by input order
    keys = [(-p.score, int(p.first), int(p.second)) for p in everything]
    assert keys == sorted(keys)


def test_very_common_words_alone_do_not_pair_notes() -> None:
    # 'city' is in every note: it is skipped as a blocking key, so unrelated notes are not compared.
    notes = {str(n): f"city {word}" for n, word in enumerate(["trees", "bikes", "taxes", "music"] * 60)}
    pairs = suggest_duplicates(notes, max_block=50)
    assert all(notes[p.first] == notes[p.second] for p in pairs)


words = st.sampled_from("bike lane tree park bench school route cafe repair water tram bus data open city".split())
note = st.lists(words, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(note, min_size=0, max_size=25))
def test_pairs_are_unique_ordered_and_scored_in_unit_interval(texts: list[str]) -> None:
    notes = {f"n{i}": t for i, t in enumerate(texts)}
    order = list(notes)
    pairs = suggest_duplicates(notes, threshold=0.3)
    seen = set()
    for p in pairs:
        assert 0.0 <= p.score <= 1.0
        assert p.first != p.second
        assert order.index(p.first) < order.index(p.second)  # each pair once, in input order
        key = frozenset((p.first, p.second))
        assert key not in seen
        seen.add(key)
        assert abs(p.score - similarity(notes[p.first], notes[p.second])) < 1e-3
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)


@settings(max_examples=60, deadline=None)
@given(note, note)
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, a) == 1.0


def test_two_thousand_notes_find_every_planted_duplicate() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{n}x" for n in range(3000)]
    notes = {f"n{i}": " ".join(rng.choices(vocabulary, k=rng.randint(6, 14))) for i in range(2000)}
    planted = {}
    for i in range(0, 2000, 100):
        planted[f"d{i}"] = notes[f"n{i}"].upper() + "!"
    notes.update(planted)
    found = {(p.first, p.second) for p in suggest_duplicates(notes, threshold=0.9)}
    assert {(f"n{i}", f"d{i}") for i in range(0, 2000, 100)} <= found


def test_small_shared_vocabulary_still_finds_planted_duplicates() -> None:
    # Every single word is in hundreds of notes (skipped as a blocking key); neighbouring-word keys
    # still bring the planted pairs together.
    rng = random.Random(11)
    vocabulary = "bike lane tree park bench school route repair cafe water tram bus data open map shade".split()
    notes = {f"n{i}": " ".join(rng.choices(vocabulary, k=rng.randint(6, 16))) + f" {i}" for i in range(600)}
    notes.update({f"d{i}": notes[f"n{i}"].title() + "?" for i in range(0, 600, 60)})
    found = {(p.first, p.second) for p in suggest_duplicates(notes, threshold=0.9)}
    assert {(f"n{i}", f"d{i}") for i in range(0, 600, 60)} <= found
