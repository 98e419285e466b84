"""Differences between Chinese texts, by character, and between lists of paragraphs.

Pure functions, no I/O.  Chinese has no spaces between words, so a paragraph
is compared token by token where a token is one character, except that a run
of digits (``17,697.70``, ``2023``, ``99.79%``) or of Latin letters is one
token: a changed figure shows as the whole old figure deleted and the whole new
one inserted, never as a patchwork of digits.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

EQUAL, INSERT, DELETE = "=", "+", "-"

_TOKEN = re.compile(r"[0-9０-９]+(?:[.,，．][0-9０-９]+)*[%％]?|[A-Za-zＡ-Ｚａ-ｚ]+|\s+|.", re.S)

Op = tuple[str, str]  # (EQUAL | INSERT | DELETE, text)
Pair = tuple[int | None, int | None]  # (index in A, index in B), None where one list has no item
Match = tuple[int, int]  # an item of A paired with an item of B


def tokens(text: str) -> list[str]:
    """``"年初预算17,534.51万元"`` → ``["年", "初", "预", "算", "17,534.51", "万", "元"]``."""
    return _TOKEN.findall(text)


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0 … 1 (difflib's ratio over tokens)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, tokens(a), tokens(b), autojunk=False)
    if matcher.real_quick_ratio() < 0.3:
        return matcher.real_quick_ratio() * 0.5
    if matcher.quick_ratio() < 0.3:
        return matcher.quick_ratio() * 0.5
    return matcher.ratio()


def char_ops(a: str, b: str) -> list[Op]:
    """The edit from ``a`` to ``b`` as runs of kept, inserted and deleted text.

    Joining the EQUAL and DELETE texts gives ``a``; joining EQUAL and INSERT
    gives ``b``.  A deletion comes before the insertion that replaces it.
    """
    ta, tb = tokens(a), tokens(b)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag == "equal":
            _push(ops, EQUAL, "".join(ta[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _push(ops, DELETE, "".join(ta[i1:i2]))
        if tag in ("insert", "replace"):
            _push(ops, INSERT, "".join(tb[j1:j2]))
    return _absorb_short_equals(ops)


def _push(ops: list[Op], tag: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == tag:
        ops[-1] = (tag, ops[-1][1] + text)
    else:
        ops.append((tag, text))


def _absorb_short_equals(ops: list[Op]) -> list[Op]:
    """Fold a single kept character squeezed between two changes into them.

    ``[-上-]年[-度-]`` … reads better as one change than as confetti.
    """
    out: list[Op] = []
    i = 0
    while i < len(ops):
        tag, text = ops[i]
        squeezed = (
            tag == EQUAL
            and len(text) == 1
            and out
            and out[-1][0] != EQUAL
            and i + 1 < len(ops)
            and ops[i + 1][0] != EQUAL
        )
        if not squeezed:
            _push(out, tag, text)
            i += 1
            continue
        block: list[Op] = []
        while out and out[-1][0] != EQUAL:
            block.insert(0, out.pop())
        j = i + 1
        while j < len(ops) and ops[j][0] != EQUAL:
            j += 1
        block += [(DELETE, text), (INSERT, text)] + ops[i + 1 : j]
        _push(out, DELETE, "".join(t for g, t in block if g == DELETE))
        _push(out, INSERT, "".join(t for g, t in block if g == INSERT))
        i = j
    return out


def old_text(ops: Iterable[Op]) -> str:
    return "".join(text for tag, text in ops if tag != INSERT)


def new_text(ops: Iterable[Op]) -> str:
    return "".join(text for tag, text in ops if tag != DELETE)


def changed_chars(ops: Iterable[Op]) -> tuple[int, int]:
    """(characters inserted, characters deleted)."""
    inserted = deleted = 0
    for tag, text in ops:
        if tag == INSERT:
            inserted += len(text)
        elif tag == DELETE:
            deleted += len(text)
    return inserted, deleted


# --- lists of paragraphs ---------------------------------------------------------


def pair_exact(a: Sequence[str], b: Sequence[str], a_free: set[int], b_free: set[int]) -> list[Match]:
    """Pair equal texts, each with the first free equal one in the other list."""
    waiting: dict[str, list[int]] = {}
    for i in sorted(a_free):
        waiting.setdefault(a[i], []).append(i)
    pairs: list[Match] = []
    for j in sorted(b_free):
        queue = waiting.get(b[j])
        if queue:
            i = queue.pop(0)
            pairs.append((i, j))
    for i, j in pairs:
        a_free.discard(i)
        b_free.discard(j)
    return pairs


def pair_similar(
    a: Sequence[str], b: Sequence[str], a_free: set[int], b_free: set[int], threshold: float
) -> list[Match]:
    """Pair the most alike remaining texts first, while they are at least ``threshold`` alike."""
    candidates = []
    for i in a_free:
        for j in b_free:
            score = similarity(a[i], b[j])
            if score >= threshold:
                # prefer the more alike; on a tie, the pair nearer in position
                candidates.append((-score, abs(i - j), i, j))
    candidates.sort()
    pairs: list[Match] = []
    for _, _, i, j in candidates:
        if i in a_free and j in b_free:
            pairs.append((i, j))
            a_free.discard(i)
            b_free.discard(j)
    return pairs


def pair_paragraphs(a: Sequence[str], b: Sequence[str], threshold: float = 0.5) -> list[Match]:
    """Pair paragraphs of ``a`` with those of ``b``: equal ones first, then alike ones."""
    a_free, b_free = set(range(len(a))), set(range(len(b)))
    pairs = pair_exact(a, b, a_free, b_free)
    pairs += pair_similar(a, b, a_free, b_free, threshold)
    return sorted(pairs, key=lambda p: p[1])


def pair_in_order(a: Sequence[str], b: Sequence[str], threshold: float) -> list[Match]:
    """Pairs that never cross (if i < i' then j < j'): equal texts first, then alike ones in the gaps.

    For lists whose order is meaning, such as the rows of a table: kept in order, the
    pairs let an edit from ``a`` to ``b`` be undone exactly.
    """
    exact = [
        (block.a + k, block.b + k)
        for block in SequenceMatcher(None, list(a), list(b), autojunk=False).get_matching_blocks()
        for k in range(block.size)
    ]
    pairs = list(exact)
    bounds = [(-1, -1)] + exact + [(len(a), len(b))]
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        a_free, b_free = set(range(i0 + 1, i1)), set(range(j0 + 1, j1))
        if not a_free or not b_free:
            continue
        kept: list[Match] = []
        for i, j in pair_similar(a, b, a_free, b_free, threshold):  # most alike first
            if all((i < x) == (j < y) for x, y in kept):
                kept.append((i, j))
        pairs += kept
    return sorted(pairs, key=lambda p: p[1])


def interleave(n_a: int, n_b: int, pairs: Iterable[Pair]) -> list[Pair]:
    """A single reading order for two aligned lists.

    The order is B's; an item only in A comes right after the B item paired
    with the nearest A item before it (or first, when there is none), so a
    deleted paragraph shows where it used to be.
    """
    b_of_a: dict[int, int] = {}
    a_of_b: dict[int, int] = {}
    for i, j in pairs:
        if i is not None and j is not None:
            b_of_a[i] = j
            a_of_b[j] = i
    after: dict[int, list[int]] = {}  # b index (-1 = start) → A-only items to put after it
    anchor = -1
    for i in range(n_a):
        if i in b_of_a:
            anchor = b_of_a[i]
        else:
            after.setdefault(anchor, []).append(i)
    out: list[Pair] = [(i, None) for i in after.get(-1, [])]
    for j in range(n_b):
        out.append((a_of_b.get(j), j))
        out.extend((i, None) for i in after.get(j, []))
    return out
