"""`flask` commands: thin wrappers over services, with progress where work is long."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from matchmaker.services import accounts, chains, demo
from matchmaker.services.errors import DomainError

user_cli = AppGroup("user", help="Manage accounts.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(load_chains)
    app.cli.add_command(create_user)
    app.cli.add_command(create_token)


@click.command("load-chains")
def load_chains() -> None:
    """Load the default chains from corpus/chains.json (existing ones are kept)."""
    added = chains.load_default_chains(current_app.config["CORPUS_DIR"])
    click.echo(f"chains added: {added}")


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo data set from corpus/demo (idempotent: running it again adds nothing)."""
    report = demo.seed_demo(current_app.config["CORPUS_DIR"], progress=click.echo)
    click.echo(", ".join(f"{k}: {v}" for k, v in report.items()))


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(["researcher", "company", "staff", "admin"]), required=True)
@click.option("--org-id", type=int, default=None)
@click.option("--display-name", default="")
def create_user(username: str, password: str, role: str, org_id: int | None, display_name: str) -> None:
    """Create an account of any role (staff and admin accounts are only made here)."""
    try:
        user = accounts.create_user({"username": username, "password": password, "role": role,
                                     "org_id": org_id, "display_name": display_name})
    except DomainError as exc:
        errors = getattr(exc, "errors", {"": [exc.message]})
        raise click.ClickException("; ".join(f"{k}: {m}" for k, ms in errors.items() for m in ms)) from exc
    click.echo(f"created user {user.username} ({user.role})")


@click.command("create-token")
@click.option("--username", required=True)
@click.option("--name", default="cli")
def create_token(username: str, name: str) -> None:
    """Create an API token for a user and print it once."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no such user: {username}")
    _token, plain = accounts.create_api_token(user, name)
    click.echo(plain)
