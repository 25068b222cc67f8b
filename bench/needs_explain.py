"""Explanations for the best hit of a few firm needs (to compare engine versions by eye).

Uses only the public engine API, so the same script runs against an older checkout:

    .venv/bin/python bench/needs_explain.py storage-1 robotics-1                      # this checkout
    .venv/bin/python bench/needs_explain.py --engine /path/to/old/checkout storage-1  # another one
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_CORPUS, DEFAULT_PAPERS, load_papers  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("needs", nargs="+")
    ap.add_argument("--engine", type=Path, default=Path(__file__).resolve().parents[1], help="checkout to import")
    ap.add_argument("--papers", type=Path, default=DEFAULT_PAPERS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--k", type=int, default=1)
    args = ap.parse_args()
    sys.path.insert(0, str(args.engine))
    from _needs import load_needs, need_plain  # after the path: it imports the engine too

    import matchmaker.engine as eng

    analyzer = eng.Analyzer.from_corpus(args.corpus)
    docs = [eng.Document(p["id"], text=p["abstract"]) for p in load_papers(args.papers)]
    index = eng.build_index(docs, analyzer, workers=2)
    new_api = hasattr(eng, "Synonyms")
    if new_api:
        index.set_synonyms(eng.Synonyms.load(args.corpus))
    print(f"engine: {eng.__file__} (synonyms: {new_api})")
    needs = {n["id"]: n for n in load_needs()}
    for nid in args.needs:
        n = needs[nid]
        text = "\n".join(p for p in (n["indicators"], n["text"]) if p)
        query = eng.Document(nid, n["title"], text, tuple(n["keywords"]), n["chain"])
        print(f"\n### {nid}: {need_plain(n)[:60]}")
        for hit in index.search(query, k=args.k):
            e = eng.explain(index, query, hit.doc_id)
            assert e is not None
            print(f"- {hit.doc_id} score {e.score:.3f}: terms {list(e.terms[:8])}")
            if getattr(e, "reason", ""):
                print(f"  reason: {e.reason}")


if __name__ == "__main__":
    main()
