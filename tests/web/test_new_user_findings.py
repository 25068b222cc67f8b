"""Small defects a new user found (issue 7, item 10): wording of the amount range, landline numbers, very long
searches, English labels, audit log labels, past expiry on create, notes dated before their intent."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import RequestURITooLarge

from matchmaker import labels
from matchmaker.models import User
from matchmaker.services import accounts, fields
from matchmaker.services.deals import intents
from matchmaker.services.errors import AuthenticationFailed, FieldErrors, ValidationFailed
from matchmaker.services.matching.suggestions import checklist
from matchmaker.services.postings import lifecycle as postings
from matchmaker.services.postings import review
from matchmaker.services.postings.rules import clean_posting
from tests.conftest import login, result_data

LONG = "耐高温氟橡胶密封材料" * 45  # 450 characters: ~4 KB once percent-encoded, past gunicorn's request line


def test_amount_range_reads_in_one_unit(app: Flask) -> None:
    errors = FieldErrors()
    assert fields.amount(errors, {"price_wan": "100000000"}, "price_wan") is None
    message = str(errors.errors["price_wan"][0])
    assert message == "金额应在 0 到 99,999,999.99 万元之间。" and "亿万元" not in message
    with force_locale("en"):
        errors = FieldErrors()
        fields.amount(errors, {"price_wan": "-1"}, "price_wan")
        assert str(errors.errors["price_wan"][0]) == (
            "The amount must be between 0 and 99,999,999.99 (in units of 10,000 yuan).")


@pytest.mark.parametrize(("typed", "stored"), [
    ("0533-3581234", "0533-3581234"),  # landline: as typed, hyphen kept
    ("010-62345678", "010-62345678"),
    ("(0533)3581234", "(0533)3581234"),
    ("０５３３－３５８１２３４", "0533-3581234"),  # full-width digits typed on a Chinese keyboard
    ("05333581234", "05333581234"),
    ("138 1234 5678", "13812345678"),  # mobile: normalized to its 11 digits
    ("+86 138-1234-5678", "13812345678"),
    ("", ""),
])
def test_phone_numbers_are_kept_as_people_write_them(app: Flask, typed: str, stored: str) -> None:
    errors = FieldErrors()
    assert fields.phone(errors, {"p": typed}, "p") == stored
    assert not errors.errors


@pytest.mark.parametrize("typed", ["0533-35", "12345", "0533-3581234-0000-0000-1"])
def test_bad_phone_numbers_are_refused(app: Flask, typed: str) -> None:
    errors = FieldErrors()
    fields.phone(errors, {"p": typed}, "p")
    assert "p" in errors.errors


def test_a_landline_contact_is_stored_with_its_hyphen(make_user: Callable[..., User],
                                                      default_chains: list[Any]) -> None:
    owner = make_user("researcher")
    posting = postings.create_posting("result", result_data(default_chains[0].id, contact_phone="0533-3581234"),
                                      owner)
    assert posting.contact_phone == "0533-3581234"


@pytest.mark.parametrize("path", ["/results/", "/needs/", "/orgs/"])
def test_a_very_long_search_is_cut_with_a_notice(client: FlaskClient, path: str) -> None:
    page = client.get(path, query_string={"q": LONG})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "搜索词过长，已只按前 100 个字搜索。" in html
    assert f'value="{LONG[:100]}"' in html and LONG[:101] not in html
    assert 'name="q" maxlength="100"' in html  # the browser stops there in the first place


def test_home_search_box_has_the_same_limit(client: FlaskClient) -> None:
    assert 'name="q" maxlength="100"' in client.get("/").get_data(as_text=True)


def test_uri_too_long_is_a_localized_page(app: Flask, client: FlaskClient) -> None:
    def too_long() -> str:
        raise RequestURITooLarge()

    app.add_url_rule("/_too_long", "too_long", too_long)
    page = client.get("/_too_long")
    html = page.get_data(as_text=True)
    assert page.status_code == 414 and "网址太长" in html and "URI Too Long" not in html


def test_english_reads_naturally(app: Flask) -> None:
    with app.test_request_context("/"), force_locale("en"):
        assert _("已覆盖") == "Covered"
        assert labels.joined("mode", ["license", "transfer"]) == "Licensing, Transfer"
    with app.test_request_context("/"):
        assert labels.joined("mode", ["license", "transfer"]) == "许可、转让"


def test_modes_read_naturally_in_english(app: Flask, client: FlaskClient,
                                         make_posting: Callable[..., Any]) -> None:
    result = make_posting("result", modes=["license", "transfer"])
    need = make_posting("need", modes=["transfer", "license"])
    page = client.get(f"/results/{result.id}?lang=en").get_data(as_text=True)
    assert "Licensing, Transfer" in page and "Licensing、Transfer" not in page
    with app.test_request_context("/"), force_locale("en"):  # the match explanation's 合作方式一致 line
        modes = [c for c in checklist(need, result) if c.detail.startswith("Licensing")]
        assert [c.detail for c in modes] == ["Licensing, Transfer"]


def test_audit_log_shows_labels(client: FlaskClient, make_user: Callable[..., User],
                                make_posting: Callable[..., Any]) -> None:
    admin, staff = make_user("admin"), make_user("staff")
    pending = make_posting("result", status="pending")
    review.reject_posting("result", pending.id, "请补充技术指标", staff)
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(admin.username, "wrong-password-1")
    login(client, admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "退回" in html and "登录失败" in html and "科技成果" in html
    assert ">reject<" not in html and ">login_failed<" not in html
    english = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Rejected" in english and "Failed sign-in" in english


def test_a_new_result_cannot_expire_in_the_past(make_user: Callable[..., User], default_chains: list[Any]) -> None:
    owner = make_user("researcher")
    with pytest.raises(ValidationFailed) as caught:
        postings.create_posting("result", result_data(default_chains[0].id, expires_on="2020-01-01"), owner)
    assert list(caught.value.errors) == ["expires_on"]
    clean, errors = clean_posting("result", result_data(default_chains[0].id, expires_on="2020-01-01"))
    assert not errors.errors and clean["expires_on"] == date(2020, 1, 1)  # a stored one still edits (no today)


def test_a_note_cannot_predate_its_intent(make_user: Callable[..., User], make_posting: Callable[..., Any],
                                          make_org: Callable[..., Any]) -> None:
    staff = make_user("staff")
    logged = fields.today() - timedelta(days=10)
    intent = intents.create_intent({"result_id": str(make_posting("result").id),
                                    "company_id": str(make_org(kind="company").id),
                                    "logged_on": logged.isoformat()}, staff)
    with pytest.raises(ValidationFailed) as caught:
        intents.add_note(intent.id, {"noted_on": (logged - timedelta(days=1)).isoformat(), "text": "补记"}, staff)
    assert list(caught.value.errors) == ["noted_on"]
    assert "不能早于意向登记日期" in str(caught.value.errors["noted_on"][0])
    intents.add_note(intent.id, {"noted_on": logged.isoformat(), "text": "当天电话沟通"}, staff)
    with pytest.raises(ValidationFailed) as caught:  # nor can the intent be moved after its first note
        intents.update_intent(intent.id, {"result_id": str(intent.result_id), "company_id": str(intent.company_id),
                                          "logged_on": (logged + timedelta(days=2)).isoformat()}, staff)
    assert list(caught.value.errors) == ["logged_on"]
