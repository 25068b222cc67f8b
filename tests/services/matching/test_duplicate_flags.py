"""Issue 7, defect 4: a posting repeating one not yet public (the review queue, the owner's drafts) is flagged too,
and the reviewer sees the pair."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, inspect

from matchmaker.extensions import db
from matchmaker.models import Chain, Result, User
from matchmaker.services.postings import lifecycle as postings
from tests.conftest import login, result_data


def test_resubmitted_copy_is_flagged_against_the_pending_original(make_user: Callable[..., User],
                                                                  default_chains: list[Chain]) -> None:
    owner = make_user("researcher")
    first = postings.create_posting("result", result_data(default_chains[0].id), owner, submit=True)
    second = postings.create_posting("result", result_data(default_chains[0].id), owner, submit=True)
    assert first.duplicate_of_id is None  # nothing earlier to repeat
    assert second.duplicate_of_id == first.id and second.duplicate_score is not None
    assert second.duplicate_score > 0.99


def test_a_draft_repeating_the_owners_own_draft_is_flagged(make_user: Callable[..., User],
                                                           default_chains: list[Chain]) -> None:
    owner = make_user("researcher")
    draft = postings.create_posting("result", result_data(default_chains[0].id), owner)
    copy = postings.create_posting("result", result_data(default_chains[0].id, title="耐高温氟橡胶密封材料（二）"),
                                   owner)
    assert copy.duplicate_of_id == draft.id


def test_someone_elses_draft_is_not_compared(make_user: Callable[..., User], default_chains: list[Chain]) -> None:
    postings.create_posting("result", result_data(default_chains[0].id), make_user("researcher"))
    mine = postings.create_posting("result", result_data(default_chains[0].id), make_user("researcher"),
                                   submit=True)
    assert mine.duplicate_of_id is None  # another person's private draft is not evidence (and not theirs to see)


def test_different_postings_are_not_flagged(make_user: Callable[..., User], default_chains: list[Chain]) -> None:
    owner = make_user("researcher")
    postings.create_posting("result", result_data(default_chains[0].id), owner, submit=True)
    other = postings.create_posting("result", result_data(
        default_chains[0].id, title="固态电解质锂电池隔膜", keywords=["固态电解质"],
        summary="一种用于储能电池的陶瓷涂覆隔膜与固态电解质复合膜，提高热稳定性，降低内短路风险。",
        innovations="", indicators=""), owner, submit=True)
    assert other.duplicate_of_id is None


def test_review_queue_shows_the_pair_flagged(client: FlaskClient, make_user: Callable[..., User],
                                             default_chains: list[Chain]) -> None:
    owner = make_user("researcher")
    first = postings.create_posting("result", result_data(default_chains[0].id), owner, submit=True)
    second = postings.create_posting("result", result_data(default_chains[0].id), owner, submit=True)
    login(client, make_user("staff"))
    page = client.get("/review/").get_data(as_text=True)
    assert page.count("耐高温氟橡胶密封材料") == 2
    assert f'href="/results/{first.id}"' in page and f"疑似重复：与 #{first.id}" in page
    assert isinstance(second, Result)


def test_nothing_is_written_while_a_submission_is_compared(
        make_user: Callable[..., User], default_chains: list[Chain], monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons (the published postings, the review queue) run before a new posting is written and
    without flushing a submitted draft's change: on SQLite a written row holds the whole database's write lock
    until the commit, and the load bench's writers queued behind each other's comparisons."""
    from matchmaker.services.matching import duplicates

    owner = make_user("researcher")
    postings.create_posting("result", result_data(default_chains[0].id), owner, submit=True)
    draft = postings.create_posting("result", result_data(default_chains[0].id, title="耐高温氟橡胶密封材料（二）"),
                                    owner)
    flushes: list[int] = []
    seen: list[tuple[bool, str]] = []
    compare = duplicates.unpublished_duplicates_of

    def count_flush(*_args: Any) -> None:
        flushes.append(1)

    def watched(document: Any, posting: Any) -> Any:
        seen.append((inspect(posting).transient, posting.status))
        event.listen(db.session, "before_flush", count_flush)
        try:
            return compare(document, posting)
        finally:
            event.remove(db.session, "before_flush", count_flush)

    monkeypatch.setattr(duplicates, "unpublished_duplicates_of", watched)
    copy = postings.create_posting("result", result_data(default_chains[0].id), owner, submit=True)
    resubmitted = postings.submit_posting("result", draft.id, owner)
    assert seen == [(True, "draft"), (False, "pending")]  # the new one not yet added; the draft's change unflushed
    assert not flushes
    assert copy.duplicate_of_id is not None and resubmitted.duplicate_of_id is not None
    assert db.session.get(Result, copy.id) is copy and copy.status == "pending"
