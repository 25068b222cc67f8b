"""Readable shared terms: the phrases and words a person reads in an explanation.

A query and a document share character n-grams and jieba words; this turns them into whole
words and phrases.  Chains of matched bigrams that occur in the document as such are merged
into phrases, then cut back to the query's word boundaries (jieba's segmentation of the query
run), so a phrase never starts or ends inside a word ("器人关节用" becomes "关节"); function
characters at either end are dropped, and so are single characters, bare numbers and bare
units ("cm2", "mg", "v") unless they are part of a longer technical phrase.

No import of the index (``explain`` and ``index`` both import this module).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence

from matchmaker.engine.types import Contribution, Span

Cut = Callable[[str], list[str]]

# Single characters that never start or end a shared phrase (beside the analyzer's stopwords).
FUNCTION_CHARS = frozenset(
    "的了和与及或并在对为是将把被从向于以而也都要能会可想很更最就还有个其该各等用使让给由经按到着过"
)
_NUMBER = re.compile(r"^[0-9.,%‰~\-+×x]+$")
_UNIT = re.compile(
    r"^[0-9.]*(?:[kmgtnμuµp]?(?:m|g|l|v|a|w|s|hz|pa|j|n|ω|ohm|mol|wh|ah|h|min|rpm|db|ppm|ppb|lel|bar|psi)"
    r"|cm|mm|nm|um|km|ml|mg|kg|ug|kv|mv|kw|mw|ma|ka|mpa|kpa|gpa|ghz|mhz|khz|mah|kwh|wt|vol)[0-9]*$"
)


def is_readable(term: str) -> bool:
    """Whether a term reads as a word or phrase: two characters or more, not a bare number or unit."""
    t = term.strip()
    if len(t) < 2:
        return False
    if t.isascii():
        return not (_NUMBER.match(t) or _UNIT.match(t) or t.isdigit())
    return True


Positions = dict[str, list[tuple[int, int]]]


def bigram_positions(runs: Sequence[Sequence[str]]) -> Positions:
    """Where each bigram of the query runs starts, (run, unit) in reading order: computed once per query, so
    each hit looks only at the places its matched bigrams occur."""
    out: Positions = {}
    for r, units in enumerate(runs):
        for i in range(len(units) - 1):
            out.setdefault(units[i] + units[i + 1], []).append((r, i))
    return out


def _char_spans(
    runs: Sequence[Sequence[str]], weights: dict[str, float], doc: str, positions: Positions | None = None
) -> list[tuple[int, int, int, float]]:
    """Chains of matched bigrams that occur in the document as such: (run, first unit, last unit, weight).

    Each distinct n-gram's weight is counted once, in the first phrase holding it. A chain can only start
    where a matched bigram does, so only those places are visited, in reading order.
    """
    if positions is None:
        positions = bigram_positions(runs)
    starts = sorted(p for gram in weights if (at := positions.get(gram)) for p in at)
    used: set[str] = set()
    out: list[tuple[int, int, int, float]] = []
    free: dict[int, int] = {}  # per run, the first unit no chain has taken yet
    for r, i in starts:
        if i < free.get(r, 0):
            continue
        units = runs[r]
        j = i
        while j < len(units) - 1 and units[j] + units[j + 1] in weights and "".join(units[i : j + 2]) in doc:
            j += 1
        if j == i:
            continue
        grams = [units[p] + units[p + 1] for p in range(i, j)] + list(units[i : j + 1])
        weight = sum(weights.get(g, 0.0) for g in set(grams) - used)
        used.update(grams)
        out.append((r, i, j, weight))
        free[r] = j + 1
    return out


def _word_bounds(
    units: Sequence[str], cut: Cut, is_word: Callable[[str], bool] | None = None
) -> tuple[set[int], set[int]]:
    """Unit positions where a shared phrase may start and end, from jieba's segmentation of the query run.

    Every word boundary qualifies; inside a compound word (协作机器人), also a position from which the
    rest of the compound is itself a dictionary word (机器人), or up to which its beginning is one.
    """
    offsets = [0]
    for u in units:
        offsets.append(offsets[-1] + len(u))
    at = {o: i for i, o in enumerate(offsets)}
    words: list[tuple[int, int]] = []
    pos = 0
    start = 0
    for token in cut("".join(units)):
        pos += len(token)
        if pos in at and at[pos] > start:
            words.append((start, at[pos]))
            start = at[pos]
    if start < len(units):
        words.append((start, len(units)))
    starts = {a for a, _ in words}
    ends = {b for _, b in words}
    if is_word is not None:
        for a, b in words:
            for p in range(a + 1, b):
                if b - p >= 2 and is_word("".join(units[p:b])):
                    starts.add(p)
                if p - a >= 2 and is_word("".join(units[a:p])):
                    ends.add(p)
    return starts, ends


def _weak(unit: str, stop: Collection[str]) -> bool:
    """A unit that never starts or ends a phrase: a function character, a stopword, a lone letter or digit."""
    return len(unit) == 1 and (unit in FUNCTION_CHARS or unit in stop or unit.isascii())


def _snap(
    units: Sequence[str], first: int, last: int, bounds: tuple[set[int], set[int]], stop: Collection[str]
) -> str | None:
    """The longest stretch of units[first..last] that starts and ends on a word boundary, weak ends trimmed."""
    starts, ends = bounds
    a = next((p for p in range(first, last + 1) if p in starts), None)
    b = next((p for p in range(last + 1, first, -1) if p in ends), None)
    if a is None or b is None:
        return None
    while a < b and _weak(units[a], stop) and any(p in starts for p in range(a + 1, b)):
        a = next(p for p in range(a + 1, b) if p in starts)
    while a < b and _weak(units[b - 1], stop) and any(p in ends for p in range(b - 1, a, -1)):
        b = next(p for p in range(b - 1, a, -1) if p in ends)
    if a >= b:
        return None
    phrase = "".join(units[a:b])
    return phrase if is_readable(phrase) and not (b - a == 1 and _weak(units[a], stop)) else None


def readable_terms(
    runs: Sequence[Sequence[str]],
    char_contrib: Iterable[Contribution],
    word_contrib: Iterable[Contribution],
    doc: str,
    cut: Cut | None = None,
    stop: Collection[str] = (),
    bounds: dict[int, tuple[set[int], set[int]]] | None = None,
    is_word: Callable[[str], bool] | None = None,
    positions: Positions | None = None,
) -> list[tuple[str, float]]:
    """Phrases and words shared with a document (``doc``: its normalized text), strongest first.

    ``cut`` segments a query run into words (the analyzer's jieba cut); with it, phrases are
    whole words.  Without it, phrases are the raw merged bigram chains (the old behaviour).
    ``bounds`` caches the runs' word boundaries between calls for the same query, ``positions``
    (:func:`bigram_positions`) their bigrams' places; ``is_word`` (a dictionary lookup) lets a
    phrase start or end inside a compound where a dictionary word does.
    """
    char_w = dict(char_contrib)
    word_w = {w: v for w, v in word_contrib if w not in stop}
    merged: dict[str, float] = {}
    if bounds is None:
        bounds = {}
    for r, first, last, weight in _char_spans(runs, char_w, doc, positions):
        units = runs[r]
        if cut is None:
            phrase: str | None = "".join(units[first : last + 1])
        else:
            if r not in bounds:
                bounds[r] = _word_bounds(units, cut, is_word)
            phrase = _snap(units, first, last, bounds[r], stop)
        if phrase is not None:
            merged[phrase] = merged.get(phrase, 0.0) + weight
    for word, weight in word_w.items():
        home = next((p for p in merged if word in p), None)
        if home is not None:
            merged[home] += weight
        elif is_readable(word) and word in doc:
            merged[word] = merged.get(word, 0.0) + weight
    for term, weight in char_w.items():  # lone ASCII words and unmerged single words
        if len(term) > 1 and term.isascii() and is_readable(term) and not any(term in p for p in merged):
            merged[term] = weight
    # A term inside a longer one adds nothing a reader needs: its weight goes to the longer one.
    ranked = sorted(merged.items(), key=lambda tw: (-len(tw[0]), -tw[1], tw[0]))
    kept: list[tuple[str, float]] = []
    for term, weight in ranked:
        at = next((i for i, (t, _) in enumerate(kept) if term in t), None)
        if at is None:
            kept.append((term, weight))
        else:
            kept[at] = (kept[at][0], kept[at][1] + weight)
    return sorted(kept, key=lambda tw: (-tw[1], tw[0]))


def reason_terms(terms: Sequence[str], limit: int = 3) -> list[str]:
    """The first `limit` terms of a ranked list, skipping any inside (or containing) one already chosen."""
    chosen: list[str] = []
    for term in terms:
        if any(term in c or c in term for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


def reason_line(terms: Sequence[str], synonyms: Sequence[tuple[str, str]] = ()) -> str:
    """One line a person reads: "都涉及 交叉滚子轴承 的 国产化 与 精度"; synonyms as "剩余电量 ≈ 荷电状态"."""
    chosen = reason_terms(terms)
    if not chosen:
        return ""
    head, rest = chosen[0], chosen[1:]
    line = f"都涉及 {head}"
    if rest:
        line += " 的 " + " 与 ".join(rest)
    if synonyms:
        line += "（" + "，".join(f"{a} ≈ {b}" for a, b in synonyms[:3]) + "）"
    return line


def find_spans(analyzer_norm: tuple[str, list[int]], terms: Sequence[str], field: str) -> list[Span]:
    """Non-overlapping occurrences of the terms (longest first) in one normalized field."""
    norm, starts = analyzer_norm
    taken = [False] * len(norm)
    spans: list[Span] = []
    for term in sorted(set(terms), key=len, reverse=True):
        pos = norm.find(term) if term else -1
        while pos >= 0:
            end = pos + len(term)
            if not any(taken[pos:end]):
                taken[pos:end] = [True] * len(term)
                orig_end = starts[end] if end < len(starts) else starts[-1] + 1
                spans.append(Span(field, starts[pos], orig_end, term))
            pos = norm.find(term, end)
    return sorted(spans, key=lambda s: s.start)
