"""The saved match index: atomic writes, checked loads, and a damaged save is rebuilt, never fatal."""
from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from matchmaker import create_app
from matchmaker.models import Result
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching import saved
from matchmaker.services.matching import suggestions as matching
from tests.conftest import app_settings
from tests.services.io.test_imports import _count, _result_row, _sheet


@pytest.fixture
def indexed(app: Any, make_posting: Any) -> tuple[Path, list[str]]:
    make_posting("result", title="协作机器人力控打磨系统", keywords=["力控打磨"])
    make_posting("need")
    state = match_index.rebuild()
    folder = Path(app.config["INDEX_DIR"])
    return folder, sorted(state.index.ids)


def _generation(folder: Path) -> Path:
    return folder / json.loads((folder / "meta.json").read_text(encoding="utf-8"))["folder"]


def _truncate_npz(folder: Path) -> None:
    npz = _generation(folder) / "index.npz"
    npz.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])


def _garbage_meta(folder: Path) -> None:
    (folder / "meta.json").write_text("{not json", encoding="utf-8")


def _flipped_json(folder: Path) -> None:
    doc = _generation(folder) / "index.json"
    doc.write_text(doc.read_text(encoding="utf-8").replace("力控打磨", "力控抛光"), encoding="utf-8")


def _missing_generation(folder: Path) -> None:
    for path in _generation(folder).iterdir():
        path.unlink()


@pytest.mark.parametrize("damage", [_truncate_npz, _garbage_meta, _flipped_json, _missing_generation])
def test_a_damaged_save_is_rebuilt_not_fatal(indexed: tuple[Path, list[str]], damage: Any) -> None:
    folder, ids = indexed
    built = match_index.current()
    assert saved.load(folder, built.vocabulary, built.analyzer) is not None
    damage(folder)
    assert saved.load(folder, built.vocabulary, built.analyzer) is None
    match_index.forget()
    state = match_index.current()
    assert state is not built and sorted(state.index.ids) == ids
    assert matching.free_text("力控打磨", "result", min_score=0.0)


def test_a_good_save_loads_without_reading_the_postings(indexed: tuple[Path, list[str]]) -> None:
    folder, ids = indexed
    match_index.forget()
    state = match_index.current()
    assert sorted(state.index.ids) == ids and state.stamps


def test_a_full_disk_keeps_the_previous_save(indexed: tuple[Path, list[str]], make_posting: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder, ids = indexed
    before = (folder / "meta.json").read_bytes()
    make_posting("result", title="另一项成果")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert saved.save(folder, match_index.current()) is False
    monkeypatch.undo()
    assert (folder / "meta.json").read_bytes() == before
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    match_index.forget()
    assert sorted(match_index.current().index.ids) != ids  # loaded the old save, then caught up with the change


def test_app_boots_and_commands_work_over_a_damaged_save(indexed: tuple[Path, list[str]], app: Any, runner: Any,
                                                        make_user: Any, make_org: Any, default_chains: Any,
                                                        tmp_path: Path) -> None:
    folder, ids = indexed
    _truncate_npz(folder)
    _garbage_meta(folder)
    match_index.forget()
    fresh = create_app(app_settings(app.config["SQLALCHEMY_DATABASE_URI"], INDEX_DIR=str(folder)),
                       instance_path=str(tmp_path / "other"))
    with fresh.app_context():
        match_index.warm_up()
        assert sorted(match_index.current().index.ids) == ids
    out = runner.invoke(args=["reindex"])
    assert out.exit_code == 0, out.output
    assert saved.load(folder, match_index.current().vocabulary, match_index.current().analyzer) is not None
    _truncate_npz(folder)
    match_index.forget()
    staff = make_user("staff")
    sheet = tmp_path / "r.xlsx"
    sheet.write_bytes(_sheet("result", _result_row(make_org(kind="university"), default_chains[0])))
    out = runner.invoke(args=["import", "result", str(sheet), "--user", staff.username])
    assert out.exit_code == 0, out.output
    assert _count(Result) == 2
