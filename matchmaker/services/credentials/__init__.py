"""Credentials self-service: password change and reset links, e-mail verification (signed, single-use links)."""
