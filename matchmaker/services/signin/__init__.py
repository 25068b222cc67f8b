"""Signing in: server-side sessions (revocable, idle and absolute lifetimes)."""
