"""我要对接: the loop from submission to reveal, the intent it opens, and every refusal writing nothing."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, ContactRequest, Intent, Notification, User
from matchmaker.services.contacts import expiry, queries, requests
from matchmaker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.services.permissions import sees_contact
from matchmaker.services.postings import lifecycle as postings
from tests.web.support import db_snapshot

MESSAGE = "我公司希望引进该密封材料技术，用于发动机密封件国产化，拟采用许可方式合作。"


@pytest.fixture
def parties(make_user: Callable[..., User], make_posting: Callable[..., Any]) -> dict[str, Any]:
    researcher = make_user("researcher")
    result = make_posting("result", owner=researcher)
    return {"researcher": researcher, "result": result, "company": make_user("company"),
            "staff": make_user("staff")}


def ask(company: User, result: Any, **overrides: Any) -> ContactRequest:
    data = {"target_kind": "result", "target_id": result.id, "message": MESSAGE, "mode": "license",
            "accept_terms": True, **overrides}
    return requests.submit_request(data, company)


def kinds_of(user: User) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).where(Notification.recipient_id == user.id)
                                   .order_by(Notification.id)))


def test_the_whole_loop_reveals_contacts_and_opens_an_intent(parties: dict[str, Any]) -> None:
    company, researcher, staff, result = (parties[k] for k in ("company", "researcher", "staff", "result"))
    req = ask(company, result)
    assert req.status == "submitted" and "contact_submitted" in kinds_of(staff)
    assert postings.contact_for(result, company).masked

    requests.approve_request(req.id, staff)
    assert req.status == "approved"
    assert kinds_of(researcher) == ["contact_received"] and kinds_of(company) == ["contact_approved"]

    requests.accept_request(req.id, researcher, "欢迎来访。")
    assert req.status == "revealed" and req.revealed_at is not None
    intent = db.session.scalar(select(Intent).where(Intent.contact_request_id == req.id))
    assert intent is not None and intent.status == "open" and intent.source == "contact_request"
    assert intent.result_id == result.id and intent.company_id == company.org_id and intent.mode == "license"
    assert "contact_accepted" in kinds_of(company)
    assert postings.contact_for(result, company) == postings.Contact("王工", "13812345678", "wang@example.edu.cn",
                                                                      False)
    requester_side, owner_side = queries.contacts_for(req, researcher)
    assert not requester_side.masked and not owner_side.masked
    reveal = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reveal_contact"))
    assert reveal is not None and reveal.actor_id == researcher.id and f"owner user {researcher.id}" in reveal.note
    assert [e.status for e in req.events] == ["submitted", "approved", "revealed"]


def test_nobody_else_sees_the_revealed_contact(parties: dict[str, Any], make_user: Callable[..., User]) -> None:
    company, researcher, staff, result = (parties[k] for k in ("company", "researcher", "staff", "result"))
    req = ask(company, result)
    requests.approve_request(req.id, staff)
    requests.accept_request(req.id, researcher)
    colleague = make_user("company", org=company.org)
    stranger = make_user("company")
    for viewer in (colleague, stranger, None):
        assert not sees_contact(viewer, result)
        assert postings.contact_for(result, viewer).masked
    with pytest.raises(NotFound):
        queries.get_request(req.id, stranger)


def test_a_third_organization_cannot_accept_or_withdraw(parties: dict[str, Any],
                                                        make_user: Callable[..., User]) -> None:
    req = ask(parties["company"], parties["result"])
    requests.approve_request(req.id, parties["staff"])
    stranger = make_user("researcher")
    before = db_snapshot()
    for act in (lambda: requests.accept_request(req.id, stranger), lambda: requests.withdraw_request(req.id, stranger),
                lambda: requests.decline_request(req.id, "不合适", stranger)):
        with pytest.raises(NotFound):
            act()
    assert db_snapshot() == before


def test_staff_decline_needs_a_reason_and_tells_the_requester(parties: dict[str, Any]) -> None:
    req = ask(parties["company"], parties["result"])
    with pytest.raises(ValidationFailed):
        requests.decline_request(req.id, "", parties["staff"])
    requests.decline_request(req.id, "申请内容过于简略。", parties["staff"])
    assert req.status == "declined" and req.staff_reason == "申请内容过于简略。"
    assert "contact_declined" in kinds_of(parties["company"])


def test_owner_declines_and_requester_withdraws(parties: dict[str, Any], make_posting: Callable[..., Any]) -> None:
    req = ask(parties["company"], parties["result"])
    requests.approve_request(req.id, parties["staff"])
    requests.decline_request(req.id, "", parties["researcher"])
    assert req.status == "refused" and "contact_refused" in kinds_of(parties["company"])
    other = make_posting("result", owner=parties["researcher"], title="另一项成果：高导热硅胶垫片")
    second = ask(parties["company"], other)
    requests.withdraw_request(second.id, parties["company"])
    assert second.status == "withdrawn"
    with pytest.raises(Conflict):
        requests.withdraw_request(second.id, parties["company"])


def test_auto_approve_policy_skips_staff(app: Any, parties: dict[str, Any]) -> None:
    app.config["CONTACT_AUTO_APPROVE"] = True
    req = ask(parties["company"], parties["result"])
    assert req.status == "approved" and "contact_received" in kinds_of(parties["researcher"])


@pytest.mark.parametrize(("overrides", "field"), [
    ({"message": ""}, "message"),
    ({"message": "长" * 10_000}, "message"),
    ({"mode": ""}, "mode"),
    ({"accept_terms": False}, "accept_terms"),
    ({"target_id": 999_999}, "target_id"),
])
def test_bad_input_is_a_field_error_and_writes_nothing(parties: dict[str, Any], overrides: dict[str, Any],
                                                       field: str) -> None:
    before = db_snapshot()
    with pytest.raises(ValidationFailed) as exc:
        ask(parties["company"], parties["result"], **overrides)
    assert field in exc.value.errors
    assert db_snapshot() == before


@pytest.mark.parametrize("status", ["draft", "withdrawn", "pending"])
def test_only_published_postings_can_be_requested(parties: dict[str, Any], make_posting: Callable[..., Any],
                                                  status: str) -> None:
    hidden = make_posting("result", status=status, title=f"未公开成果 {status}")
    before = db_snapshot()
    with pytest.raises(ValidationFailed) as exc:
        ask(parties["company"], hidden)
    assert "只能对已公开发布的内容申请对接" in str(exc.value.errors["target_id"][0])
    assert db_snapshot() == before


def test_own_posting_and_second_request_are_refused(parties: dict[str, Any], make_user: Callable[..., User],
                                                    make_posting: Callable[..., Any]) -> None:
    company = parties["company"]
    own_need = make_posting("need", owner=company)
    colleague = make_user("researcher", org=company.org)  # a researcher account inside the company
    before = db_snapshot()
    with pytest.raises(ValidationFailed) as exc:
        requests.submit_request({"target_kind": "need", "target_id": own_need.id, "message": MESSAGE,
                                 "mode": "joint", "accept_terms": True}, colleague)
    assert "不能对本单位发布的内容申请对接" in str(exc.value.errors["target_id"][0])
    assert db_snapshot() == before
    ask(company, parties["result"])
    snapshot = db_snapshot()
    with pytest.raises(ValidationFailed) as exc:
        ask(company, parties["result"])
    assert "请勿重复提交" in str(exc.value.errors["target_id"][0])
    assert db_snapshot() == snapshot


def test_daily_cap(app: Any, parties: dict[str, Any], make_posting: Callable[..., Any]) -> None:
    app.config["CONTACT_DAILY_CAP"] = 1
    ask(parties["company"], parties["result"])
    other = make_posting("result", title="第二项成果：低温等离子体表面处理装置")
    with pytest.raises(ValidationFailed) as exc:
        ask(parties["company"], other)
    assert "每天最多" in str(exc.value.errors["message"][0])


def test_pending_organization_or_membership_cannot_request(parties: dict[str, Any], make_org: Callable[..., Any],
                                                           make_user: Callable[..., User]) -> None:
    newcomer = make_user("company", org=make_org(status="pending"))
    joiner = make_user("company", org=parties["company"].org, membership="pending")
    for user in (newcomer, joiner):
        with pytest.raises(PermissionDenied):
            ask(user, parties["result"])
    assert db.session.scalar(select(func.count(ContactRequest.id))) == 0


def test_expiry_reminds_then_expires_and_alerts_staff(parties: dict[str, Any]) -> None:
    req = ask(parties["company"], parties["result"])
    assert req.due_on is not None
    monday = date(2030, 1, 7)
    req.due_on = date(2030, 1, 9)
    db.session.commit()
    assert expiry.expire_requests(monday) == {"reminded": 1, "expired": 0}
    assert expiry.expire_requests(monday) == {"reminded": 0, "expired": 0}  # one reminder only
    assert expiry.expire_requests(date(2030, 1, 10)) == {"reminded": 0, "expired": 1}
    assert req.status == "expired"
    assert "contact_expired" in kinds_of(parties["staff"]) and "contact_expired" in kinds_of(parties["company"])
    assert "contact_expiring" in kinds_of(parties["staff"])


def test_expire_requests_command(runner: Any, parties: dict[str, Any]) -> None:
    ask(parties["company"], parties["result"])
    result = runner.invoke(args=["expire-requests"])
    assert result.exit_code == 0 and "expired: 0" in result.output
