"""The daily stale-intent reminder: every active staff member told once a day, with the count; nobody else."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Notification, User
from matchmaker.services.deals import intents, reminders
from matchmaker.services.notify import notifications


def test_staff_hear_about_stale_intents_once_a_day(make_user: Callable[..., User],
                                                  make_posting: Callable[..., Any]) -> None:
    staff, admin, firm = make_user("staff"), make_user("admin"), make_user("company")
    make_user("staff", disabled=True)
    assert reminders.remind_stale_intents() == 0  # nothing stale: nobody is bothered
    need = make_posting("need", owner=firm)
    for logged_on in ("2025-03-01", "2025-04-01"):
        intents.create_intent({"result_id": str(make_posting("result").id), "company_id": str(firm.org_id),
                               "need_id": str(need.id), "logged_on": logged_on}, staff)
    assert reminders.remind_stale_intents() == 2
    assert reminders.remind_stale_intents() == 0  # cron ran twice today
    told = db.session.scalars(select(Notification).where(Notification.kind == "stale_intents")).all()
    assert sorted(n.recipient_id for n in told) == sorted([staff.id, admin.id])
    assert notifications.text(told[0]).startswith("有 2 个合作意向超过") and told[0].link == "/deals/intents?stale=1"


def test_the_command_runs_the_reminder(runner: Any, make_user: Callable[..., User]) -> None:
    make_user("staff")
    out = runner.invoke(args=["remind-stale-intents"])
    assert out.exit_code == 0 and "staff told: 0" in out.output
