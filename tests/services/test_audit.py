"""The audit service is told where a change comes from: by the request hooks, by the caller, or not at all."""
from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry
from matchmaker.services import audit
from tests.conftest import PASSWORD


def _newest(action: str) -> AuditEntry:
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                               .order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    return entry


def test_outside_a_request_the_origin_is_empty_unless_the_caller_says(app: Any, make_user: Any) -> None:
    user = make_user()
    audit.record(user, "probe", user)
    audit.record(user, "probe_from", user, origin="10.0.0.7")
    db.session.commit()
    assert _newest("probe").ip == ""
    assert _newest("probe_from").ip == "10.0.0.7"


def test_a_page_request_tells_the_origin_and_takes_it_back(client: FlaskClient, make_user: Any) -> None:
    user = make_user(password=PASSWORD)
    client.post("/auth/login", data={"username": user.username, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert _newest("login").ip == "192.0.2.10"
    audit.record(user, "after", user)  # the request has ended: a CLI-like call has no origin
    db.session.commit()
    assert _newest("after").ip == ""


def test_set_origin_is_cut_to_the_column_and_resets(app: Any, make_user: Any) -> None:
    user = make_user()
    token = audit.set_origin("x" * 60)
    audit.record(user, "long", user)
    audit.reset_origin(token)
    audit.record(user, "reset", user)
    db.session.commit()
    assert _newest("long").ip == "x" * audit.ORIGIN_LENGTH
    assert _newest("reset").ip == ""
