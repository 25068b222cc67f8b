"""Text analysis: normalization, jieba words, character n-grams and need boilerplate.

One explicit ``jieba.Tokenizer`` per analyzer (never the module-level default), loaded
with the project's user dictionary and the chain lexicon terms so compound technical
terms stay one token.  The analyzer pickles as its configuration and rebuilds the
tokenizer on unpickling, so it can be sent to worker processes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from math import log
from pathlib import Path
from typing import Any

import jieba  # type: ignore[import-untyped]

UserWord = tuple[str, int | None, str | None]

_RUN = re.compile(r"[^\W_]+")  # maximal runs of word characters (CJK, letters, digits)
_UNIT = re.compile(r"[a-z0-9]+|[^\W_]")  # an ASCII alphanumeric word or one other character
_WORDISH = re.compile(r"[^\W_]")
_ASCII = re.compile(r"[a-z0-9]")

# Phrases that say "this is a need" rather than what is needed.  Removed from queries only.
DEFAULT_BOILERPLATE: tuple[str, ...] = (
    "我公司",
    "本公司",
    "我单位",
    "本单位",
    "我企业",
    "本企业",
    "我厂",
    "本厂",
    "我们",
    "我司",
    "本司",
    "技术需求",
    "需求",
    "急需",
    "需要",
    "寻求",
    "寻找",
    "希望",
    "征集",
    "求购",
    "拟",
    "想要",
    "技术合作",
    "合作",
    "技术支持",
    "解决方案",
    "相关技术",
    "提供",
    "帮助",
    "有关",
    "等方面",
)


class _NoHmmCut:
    """``jieba.Tokenizer.lcut(text, HMM=False)``, the same tokens, about twice as fast.

    jieba builds a DAG of dictionary words over each run of Chinese characters, then
    walks it backwards for the most probable route.  This does both in one backward pass,
    with lists instead of dicts and each word's log probability computed once.  The
    arithmetic and tie-breaking are jieba's (``max`` over ``(score, end)`` tuples, so ties
    go to the longer word), so the output is identical; ``tests/engine/test_analyzer.py``
    checks that on text written for the tests and on random text.
    """

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        tokenizer.check_initialized()
        self.freq: dict[str, int] = tokenizer.FREQ
        self.log_total = log(tokenizer.total)
        self.cost: dict[str, float] = {}

    def _block(self, s: str, out: list[str]) -> None:
        freq, cost, log_total = self.freq, self.cost, self.log_total
        n = len(s)
        best = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            top = 0.0
            top_end = -1
            i = k
            frag = s[k]
            while i < n:
                # One lookup per step once seen: ``cost`` holds each dictionary entry met so
                # far, a word's log probability or ``_PREFIX`` for a prefix-only entry.
                c = cost.get(frag)
                if c is None:
                    f = freq.get(frag)
                    if f is None:
                        break
                    c = cost[frag] = log(f) - log_total if f else _PREFIX
                if c is not _PREFIX:
                    score = c + best[i + 1]
                    if top_end < 0 or score >= top:
                        top, top_end = score, i
                i += 1
                frag = s[k : i + 1]
            if top_end < 0:  # s[k] is no word (absent, or a prefix with frequency 0)
                frag = s[k]
                c = log(freq.get(frag) or 1) - log_total
                top, top_end = c + best[k + 1], k
            best[k] = top
            end[k] = top_end
        x = 0
        buf = ""
        while x < n:
            y = end[x] + 1
            word = s[x:y]
            if len(word) == 1 and _JIEBA_ENG.match(word):
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.append(buf)

    def __call__(self, sentence: str) -> list[str]:
        out: list[str] = []
        for blk in _JIEBA_HAN.split(sentence):
            if not blk:
                continue
            if _JIEBA_HAN.match(blk):
                self._block(blk, out)
            else:
                for x in _JIEBA_SKIP.split(blk):
                    if _JIEBA_SKIP.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out


_PREFIX = 1.0  # marks prefix-only dictionary entries in _NoHmmCut.cost (log probabilities are <= 0)
_JIEBA_HAN = jieba.re_han_default
_JIEBA_SKIP = jieba.re_skip_default
_JIEBA_ENG = jieba.re_eng


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


class Analyzer:
    """Turns text into normalized words (jieba) and character unigrams + bigrams."""

    def __init__(
        self,
        user_words: Iterable[UserWord] = (),
        stopwords: Iterable[str] = (),
        boilerplate: Iterable[str] = DEFAULT_BOILERPLATE,
    ) -> None:
        self.user_words: tuple[UserWord, ...] = tuple((_normalize(w), f, t) for w, f, t in user_words if w.strip())
        self.stopwords: frozenset[str] = frozenset(_normalize(s) for s in stopwords if s.strip())
        bp = sorted({_normalize(p) for p in boilerplate if p.strip()}, key=len, reverse=True)
        self.boilerplate: tuple[str, ...] = tuple(bp)
        self._boiler_re = re.compile("|".join(map(re.escape, bp))) if bp else None
        self._tokenizer: jieba.Tokenizer | None = None
        self._cut: _NoHmmCut | None = None
        # The last text cut and its tokens: a query field is cut to find boilerplate on word boundaries, then
        # cut again for its words, mostly unchanged (one tuple, so threads swap it whole).
        self._last_cut: tuple[str, tuple[str, ...]] = ("", ())

    @classmethod
    def from_corpus(cls, corpus_dir: str | Path) -> Analyzer:
        """Load ``userdict.txt``, ``chains.json`` terms and ``stopwords.txt`` (each optional)."""
        root = Path(corpus_dir)
        words = list(read_userdict(root / "userdict.txt"))
        words += [(t, None, None) for t in chain_terms(root / "chains.json")]
        stop_path = root / "stopwords.txt"
        stops = stop_path.read_text(encoding="utf-8").splitlines() if stop_path.exists() else []
        return cls(words, stops)

    # -- pickling: configuration only ------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        return {"user_words": self.user_words, "stopwords": self.stopwords, "boilerplate": self.boilerplate}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["user_words"], state["stopwords"], state["boilerplate"])  # type: ignore[misc]

    @property
    def fingerprint(self) -> str:
        """Stable hash of the configuration; an index is only valid with the same analyzer."""
        blob = json.dumps([sorted(map(list, self.user_words), key=str), sorted(self.stopwords)])
        return hashlib.sha1(blob.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """The jieba tokenizer, built and loaded on first use."""
        if self._tokenizer is None:
            logging.getLogger("jieba").setLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            for word, freq, tag in self.user_words:
                # A floor on the frequency keeps dictionary compounds whole in context.
                suggested = tk.suggest_freq(word, False) if freq is None else freq
                tk.add_word(word, max(int(suggested), 50 if freq is None else 0), tag)
            self._tokenizer = tk
            self._cut = _NoHmmCut(tk)
        return self._tokenizer

    # -- analysis ---------------------------------------------------------------------
    def normalize(self, text: str) -> str:
        """NFKC (full-width to half-width) and lowercase."""
        return _normalize(text)

    def normalize_with_map(self, text: str) -> tuple[str, list[int]]:
        """Normalize char by char; ``starts[i]`` is the original index of normalized char ``i``."""
        parts: list[str] = []
        starts: list[int] = []
        for i, ch in enumerate(text):
            n = _normalize(ch)
            parts.append(n)
            starts.extend([i] * len(n))
        return "".join(parts), starts

    def strip_boilerplate(self, norm: str) -> str:
        """Replace need boilerplate in normalized text by a break (a space).

        Only where it starts and ends on a word boundary: 拟 goes in 拟开发, not in 模拟 or 拟合.
        """
        if self._boiler_re is None:
            return norm
        found = [m for m in self._boiler_re.finditer(norm)]
        if not found:
            return norm
        bounds = {0}
        end = 0
        for token in self.cut(norm):
            end += len(token)
            bounds.add(end)
        parts: list[str] = []
        kept_from = 0
        for m in found:
            if m.start() in bounds and m.end() in bounds:
                parts += (norm[kept_from : m.start()], " ")
                kept_from = m.end()
        parts.append(norm[kept_from:])
        return "".join(parts)

    def char_runs(self, norm: str) -> list[list[str]]:
        """Units (one CJK char or one ASCII word) grouped in runs without punctuation or space."""
        runs: list[list[str]] = []
        for run in _RUN.findall(norm):
            runs.append(_UNIT.findall(run) if _ASCII.search(run) else list(run))
        return runs

    def char_grams(self, norm: str, unigrams: bool = True) -> list[str]:
        """Character unigrams (optional) and bigrams of already-normalized text."""
        return self.grams_of_runs(self.char_runs(norm), unigrams)

    @staticmethod
    def grams_of_runs(runs: Iterable[list[str]], unigrams: bool = True) -> list[str]:
        """:meth:`char_grams` from the output of :meth:`char_runs` (when the runs are needed too)."""
        out: list[str] = []
        for units in runs:
            if unigrams:
                out.extend(units)
            out.extend(a + b for a, b in zip(units, units[1:], strict=False))
        return out

    def _tokens(self, norm: str) -> tuple[str, ...]:
        last = self._last_cut
        if last[0] == norm:
            return last[1]
        if self._cut is None:
            self.tokenizer  # noqa: B018  (loads jieba and the dictionary)
        assert self._cut is not None
        tokens = tuple(self._cut(norm))
        self._last_cut = (norm, tokens)
        return tokens

    def cut(self, norm: str) -> list[str]:
        """jieba tokens (HMM off) of already-normalized text, stopwords and punctuation included."""
        return list(self._tokens(norm))

    def is_word(self, word: str) -> bool:
        """Whether the text is a word of the jieba dictionary (user words included)."""
        return bool(self.tokenizer.FREQ.get(word))

    def words(self, norm: str) -> list[str]:
        """jieba words (HMM off) of already-normalized text, without stopwords and punctuation."""
        stop = self.stopwords
        return [w for w in self._tokens(norm) if w not in stop and _WORDISH.search(w) is not None]


def read_userdict(path: Path) -> Iterable[UserWord]:
    """Parse a jieba user dictionary: ``word [freq] [tag]`` per line."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        yield parts[0], freq, tag


def chain_terms(path: Path) -> list[str]:
    """All lexicon terms of ``chains.json`` (missing file: none)."""
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [t for chain in data for t in chain.get("terms", []) if isinstance(t, str)]
