"""HTML pages: blueprints, error pages and template helpers."""
from __future__ import annotations

from typing import Any

from flask import Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from matchmaker import labels
from matchmaker.services.errors import DomainError, NotFound, PermissionDenied
from matchmaker.services.matching.suggestions import score_percent


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that stops at the largest 32-bit id: bigger numbers are a 404, not a database overflow."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_web(app: Flask) -> None:
    """Blueprints, error handlers and template helpers."""
    app.url_map.converters["int"] = BoundedIntConverter
    from matchmaker.web.account.views import bp as account_bp
    from matchmaker.web.admin.views import bp as admin_bp
    from matchmaker.web.alerts.views import bp as alerts_bp
    from matchmaker.web.auth.views import bp as auth_bp
    from matchmaker.web.chains.views import bp as chains_bp
    from matchmaker.web.contacts.views import bp as contacts_bp
    from matchmaker.web.dashboard.views import bp as dashboard_bp
    from matchmaker.web.deals.views import bp as deals_bp
    from matchmaker.web.events import bp as events_bp
    from matchmaker.web.io.views import bp as io_bp
    from matchmaker.web.jobs.views import bp as jobs_bp
    from matchmaker.web.main.views import bp as main_bp
    from matchmaker.web.matching.views import bp as matching_bp
    from matchmaker.web.meetings.views import bp as meetings_bp
    from matchmaker.web.notifications.views import bp as notifications_bp
    from matchmaker.web.orgs.views import bp as orgs_bp
    from matchmaker.web.participate.views import bp as participate_bp
    from matchmaker.web.people.views import bp as people_bp
    from matchmaker.web.postings.views import needs_bp, results_bp
    from matchmaker.web.review.views import bp as review_bp

    for bp in (main_bp, auth_bp, results_bp, needs_bp, review_bp, chains_bp, orgs_bp, admin_bp, matching_bp):
        app.register_blueprint(bp)
    for bp in (dashboard_bp, io_bp, events_bp, deals_bp, jobs_bp, account_bp, contacts_bp, notifications_bp,
               people_bp, alerts_bp, participate_bp, meetings_bp):
        app.register_blueprint(bp)
    app.context_processor(_bell)
    app.context_processor(_site_actions)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.jinja_env.globals.update(label=labels.label, joined=labels.joined, options=labels.options)
    app.jinja_env.filters["wan"] = labels.wan
    app.jinja_env.filters["match_score"] = score_percent  # one scale for a pair's score on every page: 0..100


def _bell() -> dict[str, Any]:
    """The unread count in the navigation bar: one COUNT query, only for signed-in visitors."""
    from matchmaker.services.notify.notifications import unread_count
    from matchmaker.web.helpers import actor

    user = actor()
    return {"unread_notifications": unread_count(user) if user is not None else 0}


def _site_actions() -> dict[str, Any]:
    """What the navigation bar and 'new' buttons offer this visitor (templates never look at roles)."""
    from matchmaker.services.permissions import site_actions
    from matchmaker.web.helpers import actor

    return {"site_actions": site_actions(actor())}


def _domain_error(exc: DomainError) -> Response | tuple[str, int]:
    if isinstance(exc, PermissionDenied) and exc.code == "login_required":
        flash(str(exc.message), "warning")
        return redirect(url_for("auth.login", next=request.path))
    status = 404 if isinstance(exc, NotFound) else exc.status
    return render_template("error.html", status=status, message=str(exc.message)), status


def _csrf_error(exc: CSRFError) -> tuple[str, int]:
    return render_template("error.html", status=400, message=_("页面已过期或请求无效，请刷新页面后重试。")), 400


def _http_error(exc: HTTPException) -> Any:
    if request.path.startswith("/api/"):
        return exc
    messages = {404: _("找不到该页面。"), 403: _("没有权限访问该页面。"), 405: _("不支持该请求方式。"),
                413: _("上传的文件太大。"), 414: _("网址太长（搜索词可能太长），请缩短后重试。"),
                429: _("请求过于频繁，请稍后再试。"), 503: exc.description}
    status = exc.code or 500
    return render_template("error.html", status=status, message=messages.get(status, exc.description)), status
