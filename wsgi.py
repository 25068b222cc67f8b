"""WSGI entry point: `gunicorn wsgi:app`.

The match index is built (or loaded) here, before the first request. Under `gunicorn --preload` (make serve,
deploy/matchmaker.service) that happens once, in the master, and the workers it forks share those pages with it
(copy-on-write: the loaded index and the jieba dictionary are read, hardly written). The database pool is
emptied first, so no worker inherits the master's connection.
"""
from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.services.matching.index import warm_up

app = create_app()
with app.app_context():
    warm_up()
    db.engine.dispose()
