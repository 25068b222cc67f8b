"""The demo shows the participant side: public events listed, the demo firm registered with its check-in code and
meetings, and one event that requires approval."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.services.demo import seed as demo
from matchmaker.services.events import registrations


def test_demo_public_events_and_registration(app: Any) -> None:
    app.config["MATCH_INDEX_ENABLED"] = False
    demo.seed_demo(app.config["CORPUS_DIR"])
    listed, total = registrations.public_events(1, 20)
    assert total == 2 and listed[0].status == "planned" and listed[0].requires_approval
    assert [e.id for e in registrations.upcoming_public_events()] == [listed[0].id]
    firm = db.session.scalar(select(User).where(User.username == "company"))
    part = registrations.my_event(listed[0].id, firm)
    assert part.registration is not None and part.registration.status == "registered"
    assert part.registration.checkin_code and "王建华" in part.registration.attendees
    assert part.meetings, "the demo firm has 1:1 meetings on the planned event"
