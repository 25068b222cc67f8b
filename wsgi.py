"""WSGI entry point: `gunicorn wsgi:app`. Each worker builds (or loads) its match index at start."""
from matchmaker import create_app
from matchmaker.services.matching.index import warm_up

app = create_app()
with app.app_context():
    warm_up()
