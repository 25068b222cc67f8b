"""The burn-up charts draw the 年末预测 (year-end forecast) line the legend names (issue 7), in a real browser."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.extensions import db
from matchmaker.models import Intent, Organization, User
from matchmaker.services import fields
from tests.conftest import PASSWORD

# What ECharts drew for the intents chart: the forecast series' points and the legend's entries.
DRAWN = """() => {
  const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=burnup][data-metric=intents]'));
  const option = chart.getOption();
  const forecast = option.series.find(s => s.name === '年末预测');
  return {points: forecast.data.filter(v => v !== null && v !== undefined).length, legend: option.legend[0].data};
}"""


@pytest.mark.e2e
def test_forecast_line_is_drawn(page: Page, live_server: str, make_user: Callable[..., User],
                                make_org: Callable[..., Organization], make_posting: Callable[..., Any]) -> None:
    staff = make_user("staff")
    today = fields.today()
    db.session.add(Intent(result_id=make_posting("result").id, company_id=make_org(kind="company").id,
                          logged_on=today, status="open", last_activity_on=today))
    db.session.commit()
    page.goto(f"{live_server}/auth/login")
    page.fill("#username", staff.username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.goto(f"{live_server}/dashboard/")
    expect(page.locator("[data-chart=burnup][data-metric=intents] canvas").first).to_be_attached()
    drawn = page.evaluate(DRAWN)
    assert drawn["points"] >= 2, drawn  # at least one segment to draw, whatever the month (December included)
    assert "年末预测" in drawn["legend"]
    page.goto(f"{live_server}/dashboard/?year={today.year - 1}")  # a finished year: no forecast, none in the legend
    expect(page.locator("[data-chart=burnup][data-metric=intents] canvas").first).to_be_attached()
    assert page.evaluate("() => echarts.getInstanceByDom(document.querySelector("
                         "'[data-chart=burnup][data-metric=intents]')).getOption().legend[0].data") == [
        "实际累计", "进度线"]
