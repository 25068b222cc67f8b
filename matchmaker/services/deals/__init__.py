"""Intents (合作意向) and transfers (成果转化)."""
