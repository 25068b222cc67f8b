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


def _char_spans(
    runs: Sequence[Sequence[str]], weights: dict[str, float], doc: str
) -> list[tuple[int, int, int, float]]:
    """Chains of matched bigrams that occur in the document as such: (run, first unit, last unit, weight).

    Each distinct n-gram's weight is counted once, in the first phrase holding it.
    """
    used: set[str] = set()
    out: list[tuple[int, int, int, float]] = []
    for r, units in enumerate(runs):
        i = 0
        while i < len(units) - 1:
            j = i
            while j < len(units) - 1 and units[j] + units[j + 1] in weights and "".join(units[i : j + 2]) in doc:
                j += 1
            if j == i:
                i += 1
                continue
            grams = [units[p] + units[p + 1] for p in range(i, j)] + list(units[i : j + 1])
            weight = sum(weights.get(g, 0.0) for g in set(grams) - used)
            used.update(grams)
            out.append((r, i, j, weight))
            i = j + 1
    return out


def _word_bounds(units: Sequence[str], cut: Cut) -> list[tuple[int, int]]:
    """The query run's words as unit ranges [start, end) (jieba's segmentation of the run)."""
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
    return words


def _snap(
    units: Sequence[str], first: int, last: int, words: Sequence[tuple[int, int]], stop: Collection[str]
) -> str | None:
    """The longest run of whole query words inside units[first..last], function words trimmed off its ends."""
    inside = [(a, b) for a, b in words if a >= first and b <= last + 1]

    def weak(w: tuple[int, int]) -> bool:
        text = "".join(units[w[0] : w[1]])
        return w[1] - w[0] == 1 and (len(text) == 1 and (text in FUNCTION_CHARS or text in stop))

    while inside and weak(inside[0]):
        inside.pop(0)
    while inside and weak(inside[-1]):
        inside.pop()
    if not inside:
        return None
    phrase = "".join(units[inside[0][0] : inside[-1][1]])
    return phrase if is_readable(phrase) else None


def readable_terms(
    runs: Sequence[Sequence[str]],
    char_contrib: Iterable[Contribution],
    word_contrib: Iterable[Contribution],
    doc: str,
    cut: Cut | None = None,
    stop: Collection[str] = (),
    bounds: dict[int, list[tuple[int, int]]] | None = None,
) -> list[tuple[str, float]]:
    """Phrases and words shared with a document (``doc``: its normalized text), strongest first.

    ``cut`` segments a query run into words (the analyzer's jieba cut); with it, phrases are
    whole words.  Without it, phrases are the raw merged bigram chains (the old behaviour).
    ``bounds`` caches the runs' word boundaries between calls for the same query.
    """
    char_w = dict(char_contrib)
    word_w = {w: v for w, v in word_contrib if w not in stop}
    merged: dict[str, float] = {}
    if bounds is None:
        bounds = {}
    for r, first, last, weight in _char_spans(runs, char_w, doc):
        units = runs[r]
        if cut is None:
            phrase: str | None = "".join(units[first : last + 1])
        else:
            if r not in bounds:
                bounds[r] = _word_bounds(units, cut)
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
    # A term inside a stronger or equal one adds nothing a reader needs.
    ranked = sorted(merged.items(), key=lambda tw: (-tw[1], -len(tw[0]), tw[0]))
    kept: list[tuple[str, float]] = []
    for term, weight in ranked:
        at = next((i for i, (t, _) in enumerate(kept) if term in t), None)
        if at is None:
            kept.append((term, weight))
        else:
            kept[at] = (kept[at][0], kept[at][1] + weight)
    return sorted(kept, key=lambda tw: (-tw[1], tw[0]))


def reason_line(terms: Sequence[str], synonyms: Sequence[tuple[str, str]] = ()) -> str:
    """One line a person reads: "都涉及 交叉滚子轴承 的 国产化 与 精度"; synonyms as "剩余电量 ≈ 荷电状态"."""
    if not terms:
        return ""
    head, rest = terms[0], list(terms[1:3])
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
