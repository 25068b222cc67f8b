"""Publishing notifies exactly the subscriptions the new posting matches (reverse matching), above their
thresholds and through their filters; nothing else is alerted."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Alert, Notification, Subscription, User
from matchmaker.services.alerts import dispatch, reverse
from matchmaker.services.matching.suggestions import score_pair, score_percent
from matchmaker.services.postings import review
from tests.services.alerts.conftest import SEAL_NEED


def _alerted(kind: str = "match_alert") -> dict[int, list[Notification]]:
    out: dict[int, list[Notification]] = {}
    for note in db.session.scalars(select(Notification).where(Notification.kind == kind)):
        out.setdefault(note.recipient_id, []).append(note)
    return out


def test_publishing_a_need_alerts_exactly_the_matching_subscriptions(
        app: Any, make_user: Callable[..., User], make_posting: Callable[..., Any], default_chains: list[Any],
        subscribe: Callable[..., Subscription]) -> None:
    staff, company = make_user("staff"), make_user("company")
    seal_chain, other_chain = default_chains[0], default_chains[1]
    watcher = make_user("researcher")
    seal_result = make_posting("result", owner=watcher)  # 耐高温氟橡胶密封材料 (a close match of the need)
    battery = make_posting("result", title="锂电池正极材料低成本制备", keywords=["锂电池", "正极"],
                                              summary="一种磷酸铁锂正极材料的低能耗制备工艺，适用于储能电池和动力电池的规模化生产。",
                           innovations="", indicators="")
    need = make_posting("need", owner=company, status="pending", chain_id=seal_chain.id, trl_min=5, **SEAL_NEED)
    pair = score_percent(score_pair(need, seal_result)) or 0
    assert pair >= 20, pair

    users = {name: make_user("researcher") for name in
             ("text", "other_text", "other_chain", "trl", "results", "pair_low", "pair_high")}
    expected = {
        "text": subscribe(users["text"], q="氟橡胶 密封件", target_kind="need"),
        "pair_low": subscribe(watcher, kind="posting", posting_kind="result", posting_id=seal_result.id,
                              min_score=pair - 5),
    }
    subscribe(users["other_text"], q="锂电池 正极", target_kind="need")  # shares nothing with the need
    subscribe(users["other_chain"], q="氟橡胶 密封件", target_kind="need", chain_id=str(other_chain.id))
    subscribe(users["trl"], q="氟橡胶 密封件", target_kind="need", trl_min="7")  # the need asks TRL ≥ 5
    subscribe(users["results"], q="氟橡胶 密封件", target_kind="result")  # wants results, not needs
    pair_high_owner = users["pair_high"]
    own = make_posting("result", owner=pair_high_owner, title="耐高温氟橡胶密封圈", keywords=["氟橡胶"])
    high = score_percent(score_pair(need, own)) or 0
    subscribe(pair_high_owner, kind="posting", posting_kind="result", posting_id=own.id,
              min_score=min(high + 1, 100))
    subscribe(company, q="氟橡胶 密封件", target_kind="need")  # the need's own owner is never alerted
    battery_owner = db.session.get(User, battery.owner_id)
    assert (score_percent(score_pair(need, battery)) or 0) < 20  # an unrelated result: a weak pair
    subscribe(battery_owner, kind="posting", posting_kind="result", posting_id=battery.id, min_score=20)

    shown = score_percent(score_pair(need, seal_result))  # what the pair's pages show as the need is published
    review.publish_posting("need", need.id, staff)

    alerted = _alerted()
    assert set(alerted) == {users["text"].id, watcher.id}
    assert all(len(notes) == 1 for notes in alerted.values())
    rows = list(db.session.scalars(select(Alert).order_by(Alert.id)))
    assert {a.subscription_id for a in rows} == {s.id for s in expected.values()}
    pair_alert = next(a for a in rows if a.subscription_id == expected["pair_low"].id)
    assert pair_alert.score == shown  # one score, one scale: the pair score as the site shows it, 0..100
    assert alerted[watcher.id][0].link == f"/needs/{need.id}"


def test_a_posting_alerts_a_subscription_once_and_only_when_public(
        app: Any, make_user: Callable[..., User], make_posting: Callable[..., Any],
        subscribe: Callable[..., Subscription]) -> None:
    staff, reader = make_user("staff"), make_user("researcher")
    make_posting("result")  # the index has something to weigh terms against
    sub = subscribe(reader, q="氟橡胶 密封件", target_kind="need")
    need = make_posting("need", status="pending", **SEAL_NEED)
    assert _alerted() == {}  # pending: nobody hears of it
    review.publish_posting("need", need.id, staff)
    assert dispatch.posting_published(need) == []  # published again (or a second call): no second alert
    db.session.commit()
    assert [a.subscription_id for a in db.session.scalars(select(Alert))] == [sub.id]


def test_reverse_index_finds_candidates_and_follows_new_subscriptions(
        app: Any, make_user: Callable[..., User], make_posting: Callable[..., Any],
        subscribe: Callable[..., Subscription]) -> None:
    make_posting("result")
    need = make_posting("need", **SEAL_NEED)
    first = subscribe(make_user("researcher"), q="氟橡胶", target_kind="need")
    subscribe(make_user("researcher"), q="锂电池", target_kind="need")
    assert reverse.candidates(need) == [first.id]
    built = reverse.current()
    assert reverse.current() is built  # unchanged subscriptions: the same index is reused
    later = subscribe(make_user("researcher"), q="密封件 国产化", target_kind="need")
    assert sorted(reverse.candidates(need)) == sorted([first.id, later.id])  # stale: rebuilt from the database
    assert reverse.current() is not built


def test_a_saved_firm_word_finds_a_posting_that_uses_the_technical_term(
        app: Any, make_user: Callable[..., User], make_posting: Callable[..., Any],
        subscribe: Callable[..., Subscription]) -> None:
    make_posting("result")
    reader = make_user("researcher")
    # corpus synonyms: 远程监控 ≈ 数据采集 (not one character in common)
    sub = subscribe(reader, q="远程监控", target_kind="need")
    need = make_posting("need", status="pending", title="车间设备数据采集系统", keywords=["数据采集"],
                        problem="需要为注塑车间的设备加装数据采集模块，统一汇总产量和能耗数据，减少人工抄表。")
    assert sub.id in reverse.candidates(need)
    review.publish_posting("need", need.id, make_user("staff"))
    assert set(_alerted()) == {reader.id}
