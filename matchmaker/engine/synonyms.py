"""Firm vocabulary: per-chain synonyms that expand a query with the technical terms papers use.

Plain data in, so the services can load it from wherever staff edit it (``corpus/synonyms.json``
ships a first version): ``{chain code: {firm word: [technical term, ...]}}``; the chain code
``"*"`` applies to every chain.  An index holds one :class:`Synonyms` and can swap it at any
time (:meth:`Index.set_synonyms`): expansion happens while a query is analyzed, so no
document is re-analyzed and nothing is rebuilt.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ALL_CHAINS = "*"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


@dataclass(frozen=True)
class Synonyms:
    """Firm word -> technical terms, per chain code (``"*"``: every chain)."""

    by_chain: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, Iterable[str]]]) -> Synonyms:
        """Normalize (NFKC, lower case) and drop empty entries and a word listed as its own synonym."""
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for chain, entries in data.items():
            if not isinstance(entries, Mapping):
                continue
            table: dict[str, tuple[str, ...]] = {}
            for word, terms in entries.items():
                w = _norm(word)
                ts = tuple(dict.fromkeys(t for t in map(_norm, terms) if t and t != w))
                if w and ts:
                    table[w] = tuple(dict.fromkeys(table.get(w, ()) + ts))
            if table:
                out[str(chain)] = table
        return cls(out)

    @classmethod
    def load(cls, path: str | Path) -> Synonyms:
        """``synonyms.json`` (a file, or a corpus directory holding one); missing: no synonyms."""
        p = Path(path)
        p = p / "synonyms.json" if p.is_dir() else p
        if not p.exists():
            return cls()
        data = json.loads(p.read_text(encoding="utf-8"))
        return cls.from_mapping({k: v for k, v in data.items() if not k.startswith("_")})

    def __bool__(self) -> bool:
        return bool(self.by_chain)

    def table(self, chain: str | None) -> dict[str, tuple[str, ...]]:
        """Entries for one chain plus the all-chain ones; every chain's when ``chain`` is None."""
        chains = list(self.by_chain) if chain is None else [ALL_CHAINS, chain]
        merged: dict[str, tuple[str, ...]] = {}
        for code in chains:
            for word, terms in self.by_chain.get(code, {}).items():
                merged[word] = tuple(dict.fromkeys(merged.get(word, ()) + terms))
        return merged

    def expand(self, norm: str, chain: str | None) -> list[tuple[str, str]]:
        """(firm word, technical term) for each firm word in the normalized text whose term is not typed already.

        Longer firm words win: a word inside a longer matched one is not expanded again.
        """
        found: list[tuple[str, str]] = []
        taken: list[str] = []
        for word, terms in sorted(self.table(chain).items(), key=lambda wt: -len(wt[0])):
            if word not in norm or any(word in t for t in taken):
                continue
            taken.append(word)
            found.extend((word, t) for t in terms if t not in norm)
        return found
