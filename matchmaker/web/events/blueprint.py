"""The events blueprint; its routes live in views.py (events, lists) and agenda_views.py (the 1:1 agenda)."""
from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")
