"""Notifications: arguments and output."""
from __future__ import annotations

from marshmallow import Schema, fields

from matchmaker.api.schemas.common import PageArgs, PageOut


class NotificationOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    text = fields.String(required=True)
    link = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(allow_none=True, required=True)


class NotificationPage(PageOut):
    items = fields.List(fields.Nested(NotificationOut), required=True)
    unread = fields.Integer(required=True)


class NotificationListArgs(PageArgs):
    unread_only = fields.Boolean(load_default=False)


class CountOut(Schema):
    updated = fields.Integer(required=True)
    unread = fields.Integer(required=True)
