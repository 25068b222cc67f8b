"""The saved match index under INDEX_DIR: written atomically, checked when loaded, never fatal.

Layout: `meta.json` names a generation folder (`gen-<random>/`, the engine's index.npz + index.json) with the
SHA-256 of each file, the change id and vocabulary the index reflects and each document's stamp. A save writes a
new generation, fsyncs it, then replaces meta.json through a fsynced temporary file and os.replace, so a crash or
a full disk leaves the previous save intact. A load that finds anything wrong (missing or truncated file,
checksum mismatch, garbage JSON, another vocabulary) returns None and the caller rebuilds from the database.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from matchmaker.engine import Analyzer, Index

log = logging.getLogger("matchmaker.services.matching.index")
FORMAT = 2
FILES = ("index.npz", "index.json")
KEEP_OLD_SECONDS = 600
"""Superseded generations stay this long, so a worker loading one while another saves still finds it."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(folder: Path, state: Any) -> bool:
    """Persist `state` (a LoadedIndex) as a new generation; False (and the old save kept) when writing fails."""
    generation = f"gen-{uuid.uuid4().hex[:12]}"
    target = folder / generation
    temporary = folder / f"meta.json.{generation}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        state.index.save(target)
        for name in FILES:
            _fsync(target / name)
        _fsync(target)
        meta = {"format": FORMAT, "version": state.version, "vocabulary": state.vocabulary,
                "folder": generation, "sha256": {name: _sha256(target / name) for name in FILES},
                "stamps": state.stamps}
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(meta, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, folder / "meta.json")
        _fsync(folder)
    except OSError as exc:  # full disk, read-only instance folder: matching goes on from memory
        log.warning("could not save the match index: %s", exc)
        shutil.rmtree(target, ignore_errors=True)
        temporary.unlink(missing_ok=True)
        return False
    _drop_old(folder, generation)
    return True


def _drop_old(folder: Path, keep: str) -> None:
    """Remove superseded generations (and stray temporary files) older than KEEP_OLD_SECONDS."""
    cutoff = time.time() - KEEP_OLD_SECONDS
    for path in folder.iterdir():
        stale = path.name.startswith("gen-") or path.name.endswith(".tmp") or path.name in FILES
        if stale and keep not in path.name:
            try:
                if path.stat().st_mtime < cutoff or path.name in FILES:
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            except OSError:
                pass  # another worker removed it first


def load(folder: Path, vocabulary: str, analyzer: Analyzer) -> tuple[Index, int, dict[str, str]] | None:
    """The saved index, its change id and stamps; None when absent, damaged, stale or of another vocabulary."""
    path = folder / "meta.json"
    if not path.exists():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("vocabulary") != vocabulary:
            return None
        generation = folder / str(meta["folder"])
        for name in FILES:
            if _sha256(generation / name) != meta["sha256"][name]:
                raise ValueError(f"{name} does not match its checksum")
        index = Index.load(generation, analyzer)
        stamps = meta["stamps"]
        if not isinstance(stamps, dict) or not set(stamps) <= set(index.ids):
            raise ValueError("stamps do not match the indexed documents")
        return index, int(meta["version"]), {str(k): str(v) for k, v in stamps.items()}
    except Exception as exc:  # noqa: BLE001 - whatever a damaged file raises, the answer is "rebuild"
        log.warning("saved match index unusable, rebuilding: %s", exc)
        return None
