"""`flask` commands: thin wrappers over services, with progress where work is long."""
from __future__ import annotations

import click
from flask import Flask, current_app

from matchmaker.services import accounts, chains
from matchmaker.services.demo import seed as demo
from matchmaker.services.errors import DomainError


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(load_chains)
    app.cli.add_command(create_user)
    app.cli.add_command(create_token)
    app.cli.add_command(reindex)
    app.cli.add_command(import_file)
    app.cli.add_command(export_file)
    app.cli.add_command(seed_scale)
    app.cli.add_command(backup_database)
    app.cli.add_command(jobs_worker)
    app.cli.add_command(restore_database)
    app.cli.add_command(send_mail)
    app.cli.add_command(expire_requests)
    app.cli.add_command(remind_stale_intents)
    app.cli.add_command(send_digests)
    app.cli.add_command(remind_events)
    app.cli.add_command(remind_meeting_outcomes)


@click.command("expire-requests")
def expire_requests() -> None:
    """One pass over open 我要对接 requests: remind before the deadline, expire those past it (for cron)."""
    from matchmaker.services.contacts import expiry

    report = expiry.expire_requests()
    click.echo(", ".join(f"{k}: {v}" for k, v in report.items()))


@click.command("remind-stale-intents")
def remind_stale_intents() -> None:
    """Tell staff, once a day, how many 合作意向 have gone without follow-up (for cron)."""
    from matchmaker.services.deals import reminders

    click.echo(f"staff told: {reminders.remind_stale_intents()}")


@click.command("remind-meeting-outcomes")
def remind_meeting_outcomes() -> None:
    """Tell staff about meetings still without an outcome 3 days after their event; each meeting once (cron)."""
    from matchmaker.services.events import outcomes

    click.echo(f"staff told: {outcomes.remind_missing_outcomes()}")


@click.command("send-digests")
def send_digests() -> None:
    """One pass: each account whose daily or weekly alert digest is due gets one e-mail (for cron, hourly)."""
    from matchmaker.services.alerts import mails

    report = mails.send_digests()
    click.echo(f"digests: {report.users}, alerts: {report.alerts}")


@click.command("remind-events")
def remind_events() -> None:
    """One pass (for cron, daily): participants of events starting within EVENT_REMINDER_DAYS get their schedule;
    invitations unanswered for EVENT_INVITATION_REMINDER_DAYS get one reminder. Each row is reminded once."""
    from matchmaker.services.events import reminders

    run = reminders.send_reminders()
    click.echo(f"schedules: {run.schedules}, invitation reminders: {run.invitations}")


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


@click.command("seed-scale")
@click.option("--results", type=click.IntRange(0, 1_000_000), default=5000, show_default=True)
@click.option("--needs", type=click.IntRange(0, 1_000_000), default=5000, show_default=True)
@click.option("--papers", type=click.Path(dir_okay=False), default=None,
              help="Paper corpus (JSON lines); default /work/shared/corpus/papers.jsonl when present, else synthetic.")
def seed_scale(results: int, needs: int, papers: str | None) -> None:
    """Add generated published results and needs for load tests, then rebuild and save the match index."""
    from pathlib import Path

    from matchmaker.services.demo import scale
    from matchmaker.services.matching import index as match_index

    corpus = Path(papers) if papers else scale.DEFAULT_PAPERS
    report = scale.seed_scale(current_app.config["CORPUS_DIR"], results, needs, corpus, progress=click.echo)
    click.echo(", ".join(f"{k}: {v}" for k, v in report.items()))
    if current_app.config.get("MATCH_INDEX_ENABLED", True):
        state = match_index.rebuild()
        click.echo(f"indexed {len(state.index)} published postings")


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
@click.option("--scope", type=click.Choice(["read", "write"]), default="write", show_default=True)
@click.option("--expires-days", type=int, default=None, help="Days until the token stops working (default: never).")
def create_token(username: str, name: str, scope: str, expires_days: int | None) -> None:
    """Create an API token for a user and print it once."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no such user: {username}")
    try:
        _token, plain = accounts.create_api_token(user, name, scope=scope, expires_days=expires_days)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(plain)


@click.command("reindex")
def reindex() -> None:
    """Rebuild the match index from the database (and save it under instance/index)."""
    from matchmaker.services.matching import index as match_index

    with click.progressbar(length=100, label="indexing") as bar:
        def advance(done: int, total: int) -> None:
            bar.update(int(100 * done / max(total, 1)) - bar.pos)

        state = match_index.rebuild(progress=advance)
    click.echo(f"indexed {len(state.index)} published postings (version {state.version})")


@click.command("import")
@click.argument("kind", type=click.Choice(["result", "need", "organization"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--user", "username", required=True, help="Staff account the import is recorded under.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--keep-duplicates", is_flag=True, help="Also import rows flagged as near-duplicates.")
def import_file(kind: str, path: str, username: str, dry_run: bool, keep_duplicates: bool) -> None:
    """Import results, needs or organizations from an .xlsx made from the template (same checks as the page)."""
    from pathlib import Path

    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import User
    from matchmaker.services.io import imports

    user = db.session.scalar(select(User).where(User.username == username))
    try:
        rows = imports.read_upload(kind, Path(path).read_bytes())
        with click.progressbar(length=len(rows), label="checking") as bar:
            preview = imports.Preview("", kind, Path(path).name, imports.check_rows(kind, rows, bar.update))
        for row in preview.problem_rows[:100]:
            for column, message in row.problems:
                click.echo(f"row {row.number} [{column}]: {message}")
        click.echo(f"rows: {len(preview.rows)}, valid: {len(preview.valid)}, with problems: "
                   f"{len(preview.problem_rows)}, near-duplicates: {len(preview.duplicate_rows)}")
        if dry_run:
            click.echo("dry run: nothing written")
            return
        with click.progressbar(length=len(preview.valid), label="writing") as bar:
            report = imports.write_rows(preview, user, skip_duplicates=not keep_duplicates, progress=bar.update)
    except imports.ImportRefused as exc:
        raise click.ClickException("; ".join([str(exc.message), *exc.details])) from exc
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"imported: {report.created}, skipped: {report.skipped}")


@click.command("export")
@click.argument("kind", type=click.Choice(["results", "needs", "organizations", "events", "meetings", "intents",
                                           "transfers", "annual-report"]))
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--year", type=int, default=None, help="Year of the annual report (default: this year).")
def export_file(kind: str, path: str, year: int | None) -> None:
    """Export a list (or the annual report) to an .xlsx file."""
    from pathlib import Path

    from matchmaker.services import fields
    from matchmaker.services.goals import report as annual_report
    from matchmaker.services.io import exports

    with click.progressbar(length=1, label=f"exporting {kind}") as bar:
        data = (annual_report.build_annual_report(year or fields.today().year) if kind == "annual-report"
                else exports.build_export(kind))
        bar.update(1)
    Path(path).write_bytes(data)
    click.echo(f"wrote {len(data)} bytes to {path}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_database(path: str) -> None:
    """Write a consistent backup of the database to PATH while the site keeps serving."""
    from pathlib import Path

    from matchmaker import backup
    from matchmaker.extensions import db

    try:
        counts = backup.backup(db.engine, Path(path))
    except (backup.BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written to {path}: {sum(counts.values())} rows in {len(counts)} tables")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_database(path: str, force: bool) -> None:
    """Load a backup made by `flask backup` into an empty database (or replace one with --force)."""
    from pathlib import Path

    from matchmaker import backup
    from matchmaker.extensions import db
    from matchmaker.services.matching import index as match_index

    try:
        counts = backup.restore(db.engine, Path(path), force=force)
    except (backup.BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    match_index.forget()
    for table, count in counts.items():
        click.echo(f"{table}: {count}")
    click.echo(f"restored {sum(counts.values())} rows in {len(counts)} tables")


@click.command("jobs-worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop (instead of waiting for more).")
def jobs_worker(burst: bool) -> None:
    """Run background jobs from the RQ queue on REDIS_URL (one process; start several for more throughput)."""
    from rq import SimpleWorker

    from matchmaker.services.jobs import queue as jobs

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the app processes")
    # SimpleWorker runs jobs in this process, inside the app context the flask command pushed (no fork).
    queue = jobs.rq_queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)


@click.command("send-mail")
def send_mail() -> None:
    """Send the queued e-mail that is due (one pass; run it from cron or a systemd timer every minute)."""
    from matchmaker.services.mail import delivery

    report = delivery.send_due()
    if not report.configured:
        click.echo(f"MAIL_SERVER is not set: nothing sent; {report.waiting} messages wait in the outbox")
        return
    click.echo(f"sent: {report.sent}, retrying later: {report.retrying}, failed: {report.failed}, "
               f"still queued: {report.waiting}")
