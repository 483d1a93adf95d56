"""Offline duplicate suggestions for the wall: which notes probably say the same thing.

Pure functions, no I/O. Comparing every pair of 2,000 notes is two million comparisons, so notes are
first *blocked*: only notes that share a rare-enough token (or the first letters of one, which
survives typos and plurals) are compared. A candidate pair is scored by blending the Jaccard
similarity of character trigrams of the normalised text (robust to word order and small typos)
with the Dice overlap of their content words; the score is in [0, 1] and 1.0 means the same text
once case, accents and punctuation are ignored.

The facilitator confirms every merge: this only proposes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations, pairwise
from typing import NamedTuple

DEFAULT_THRESHOLD = 0.5

# Words that say nothing about what a note means, in the languages a civic workshop is likely in.
STOPWORDS = frozenset(
    """
    a an the and or but of to in on at for with by from as is are be it this that these those we our
    us you your they them their there here more less very so not no all any some can could should would
    will just also than then into onto over under about via per each every make get use using have has
    de het een en van voor met op te in is dat die der den des le la les un une et du au aux pour par
    il el los las y del por con
    """.split()
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class DuplicatePair(NamedTuple):
    """Two notes that look alike; ``first`` was given before ``second`` in the input."""

    first: str
    second: str
    score: float


def normalize(text: str) -> str:
    """Case-folded, accent-free words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(stripped))


def _stem(word: str) -> str:
    """A deliberately crude stemmer: enough to match 'bikes' with 'bike' and 'racks' with 'rack'."""
    for suffix in ("ies", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(normalized: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in normalized.split() if len(w) > 2 and w not in STOPWORDS)


def shingles(normalized: str, size: int = 3) -> frozenset[str]:
    """Character n-grams of the text, padded so that short words still yield some."""
    padded = f" {normalized} "
    if len(padded) <= size:
        return frozenset({padded})
    return frozenset(padded[i : i + size] for i in range(len(padded) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    total = len(a) + len(b)
    return 2 * len(a & b) / total if total else 0.0


class _Prepared(NamedTuple):
    normalized: str
    words: frozenset[str]
    grams: frozenset[str]


def _prepare(text: str) -> _Prepared:
    norm = normalize(text)
    return _Prepared(norm, content_words(norm), shingles(norm))


def _score(a: _Prepared, b: _Prepared) -> float:
    if a.normalized == b.normalized:
        return 1.0
    value = 0.6 * jaccard(a.grams, b.grams) + 0.4 * dice(a.words, b.words)
    return min(1.0, max(0.0, value))


def similarity(a: str, b: str) -> float:
    """The score ``suggest_duplicates`` gives the pair (a, b), in [0, 1]; symmetric."""
    return _score(_prepare(a), _prepare(b))


def _block_keys(p: _Prepared) -> set[str]:
    keys = {f"w:{w}" for w in p.words}
    keys |= {f"p:{w[:4]}" for w in p.words if len(w) >= 5}
    # Neighbouring content words: far more selective than single words when the room shares a
    # small vocabulary ('bike', 'lane', 'school' in every other note).
    stems = [_stem(w) for w in p.normalized.split() if len(w) > 2 and w not in STOPWORDS]
    keys |= {f"b:{a} {b}" for a, b in pairwise(stems)}
    if not p.words:  # a note of stop words only: block on its whole text
        keys.add(f"t:{p.normalized}")
    return keys


def suggest_duplicates(
    notes: Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_block: int = 200,
    limit: int | None = None,
) -> list[DuplicatePair]:
    """Likely duplicate pairs among ``notes`` (id -> text), best first, each pair once.

    ``max_block`` skips blocking keys shared by more notes than that (words such as 'city' in a city
    workshop): they would bring back the quadratic comparison and say little. Notes are also blocked
    on pairs of neighbouring words, which stay selective when single words are not. Pairs sharing
    only very common keys are not proposed. Ties are ordered by input position, so the result is deterministic.
    """
    items = list(notes.items()) if isinstance(notes, Mapping) else list(notes)
    prepared = [_prepare(text) for _, text in items]
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, p in enumerate(prepared):
        for key in _block_keys(p):
            blocks[key].append(index)
    usable = {key: members for key, members in blocks.items() if 2 <= len(members) <= max_block}
    shared: Counter[tuple[int, int]] = Counter()
    sizes = [0] * len(prepared)
    for members in usable.values():
        shared.update(combinations(members, 2))  # members are in input order, so i < j
        for index in members:
            sizes[index] += 1
    pairs: list[tuple[float, int, int]] = []
    for (i, j), count in shared.items():
        # Two notes that share under a third of their usable keys cannot reach a useful score: skip
        # the costly trigram comparison for them.
        if count * 3 < min(sizes[i], sizes[j]):
            continue
        score = _score(prepared[i], prepared[j])
        if score >= threshold:
            pairs.append((score, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    if limit is not None:
        pairs = pairs[:limit]
    return [DuplicatePair(items[i][0], items[j][0], round(score, 4)) for score, i, j in pairs]
