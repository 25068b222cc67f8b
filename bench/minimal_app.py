"""The yardstick for bench/load.py: a minimal Flask + Flask-SQLAlchemy app (one indexed SELECT, a small template).

    BENCH_DATABASE_URL=sqlite:////tmp/x.sqlite gunicorn ... bench.minimal_app:app
"""
from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, abort, jsonify, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

db = SQLAlchemy()
PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ item.title }}</title></head>
<body><h1>{{ item.title }}</h1><p>{{ item.body }}</p><p>{{ item.updated_at }}</p></body></html>"""
LIST = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>列表</title></head>
<body><ul>{% for item in items %}<li><a href="/items/{{ item.id }}">{{ item.title }}</a></li>{% endfor %}</ul>
</body></html>"""


class Item(db.Model):  # type: ignore[name-defined]
    __tablename__ = "bench_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    body: Mapped[str] = mapped_column(String(2000), default="")
    updated_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))


def create_app(url: str) -> Flask:
    """The app on `url` (tables created, nothing seeded)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)

    @app.get("/items/<int:item_id>")
    def detail(item_id: int) -> str:
        item = db.session.get(Item, item_id) or abort(404)
        return render_template_string(PAGE, item=item)

    @app.get("/items/")
    def index() -> str:
        page = max(1, request.args.get("page", 1, type=int))
        items = db.session.scalars(select(Item).order_by(Item.id).limit(20).offset((page - 1) * 20))
        return render_template_string(LIST, items=list(items))

    @app.post("/items/")
    def create() -> tuple[object, int]:
        item = Item(title=str((request.get_json() or {}).get("title", ""))[:200], body="新条目")
        db.session.add(item)
        db.session.commit()
        return jsonify(id=item.id), 201

    @app.patch("/items/<int:item_id>")
    def update(item_id: int) -> object:
        item = db.session.get(Item, item_id) or abort(404)
        item.title, item.updated_at = str((request.get_json() or {}).get("title", item.title))[:200], datetime.now(UTC)
        db.session.commit()
        return jsonify(id=item.id)

    return app


app = create_app(os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/matchmaker-minimal.sqlite"))
