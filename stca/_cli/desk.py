"""``stca serve``, ``stca db upgrade|backup|restore``, ``stca admin create-user``, ``stca audit verify|checkpoint``.

FastAPI, SQLAlchemy and uvicorn are imported inside the commands so other commands start fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from stca.desk.config import Settings

db_app = typer.Typer(help="The case-desk database.", no_args_is_help=True)
admin_app = typer.Typer(help="Case-desk accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The case-desk audit log.", no_args_is_help=True)

KEEP_ALIVE_SECONDS = 30
"""How long ``stca serve`` keeps an idle HTTP connection open."""

_ROLES = ("intake_officer", "eligibility_officer", "supervisor", "analyst", "admin")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _settings() -> Settings:
    from pydantic import ValidationError

    from stca.desk.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _fail(f"STCA_{str(first['loc'][0]).upper()}: {first['msg']}") from None


def _upgrade(url: str) -> None:
    from stca.desk.db import upgrade

    try:
        upgrade(url)
    except Exception as exc:  # a wrong URL or an unreachable server: say so, no traceback
        raise _fail(f"cannot migrate the database at STCA_DATABASE_URL ({type(exc).__name__}: {exc})") from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the desk's tables to the latest version.

    Example: [bold]STCA_DATABASE_URL=postgresql://stca@localhost/stca stca db upgrade[/bold]
    (without STCA_DATABASE_URL: an SQLite file in your user data directory).
    """
    settings = _settings()
    _upgrade(settings.database_url)
    typer.echo(f"database is at the latest version ({_redacted(settings.database_url)})")


@admin_app.command("create-user")
def create_user(
    username: Annotated[str, typer.Argument(help="login name, e.g. jtremblay")],
    role: Annotated[str, typer.Option("--role", help=f"one of: {', '.join(_ROLES)}")],
    display_name: Annotated[str | None, typer.Option("--name", help="full name shown in the desk")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from standard input")]
    = False,
    national: Annotated[bool, typer.Option("--national", help="works on every case (national scope)")] = False,
    province: Annotated[list[str] | None, typer.Option("--province", help="a region whose cases the account works "
                                                       "on (repeatable, e.g. --province QC --province ON)")] = None,
) -> None:
    """Create a desk account. Officers see no case until given --national or a --province.

    Example: [bold]echo 's3cret-pass' | stca admin create-user jtremblay --role supervisor --province QC
    --password-stdin[/bold] (without --password-stdin you are asked for it twice).
    """
    if role not in _ROLES:
        raise _fail(f"--role: expected one of {', '.join(_ROLES)}, got {role!r}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    from stca.desk import services
    from stca.desk.db import make_engine, make_sessionmaker

    settings = _settings()
    _upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine, audit_key=settings.audit_key_bytes())() as db:
            user = services.create_user(db, None, username=username, password=password, role=role,
                                        display_name=display_name,
                                        scope={"national": national, "provinces": province or []})
    except services.ServiceError as exc:
        raise _fail(str(exc)) from None
    finally:
        engine.dispose()
    typer.echo(f"created {user.username} ({user.role})")


def _read_checkpoint(path: Path) -> Any:
    from stca.desk.audit import Checkpoint

    try:
        return Checkpoint.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise _fail(f"--against: cannot read {path} ({exc.strerror})") from None
    except ValueError as exc:  # JSONDecodeError is a ValueError
        raise _fail(f"--against: {path} is not a checkpoint ({exc})") from None


@audit_app.command("verify")
def audit_verify(
    against: Annotated[Path | None, typer.Option("--against", help="a checkpoint file written by "
                                                 "`stca audit checkpoint`: also catch rows deleted from the end")]
    = None,
) -> None:
    """Recompute the audit log's keyed hash chain; exit 1 and name the first broken row if it was altered.

    Examples: [bold]stca audit verify[/bold]; [bold]stca audit verify --against checkpoint.json[/bold].
    The key is STCA_AUDIT_KEY, or the audit_key file in the data directory.
    """
    from stca.desk import services
    from stca.desk.db import make_engine, make_sessionmaker

    checkpoint = _read_checkpoint(against) if against is not None else None
    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine, audit_key=settings.audit_key_bytes())() as db:
            report = services.verify_audit(db, against=checkpoint)
    except Exception as exc:
        raise _fail(f"cannot read the audit log ({type(exc).__name__}: {exc}); run `stca db upgrade`?") from None
    finally:
        engine.dispose()
    if report.ok:
        anchored = f", up to the checkpoint's row {checkpoint.seq}" if checkpoint is not None else ""
        typer.echo(f"audit log intact: {report.rows} rows, hash chain verified{anchored}")
        return
    where = f" at row {report.first_bad_seq}" if report.first_bad_seq is not None else ""
    typer.echo(f"audit log BROKEN{where}: {report.problem}", err=True)
    raise typer.Exit(code=1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write the checkpoint to this file "
                                                "instead of standard output")] = None,
) -> None:
    """Sign the audit log's head with the audit key; keep the output outside the database's reach.

    Example: [bold]stca audit checkpoint -o checkpoint.json[/bold], later
    [bold]stca audit verify --against checkpoint.json[/bold] also detects rows deleted from the end.
    """
    from stca.desk import audit
    from stca.desk.db import make_engine, make_sessionmaker

    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine, audit_key=settings.audit_key_bytes())() as db:
            mark = audit.checkpoint(db)
    except Exception as exc:
        raise _fail(f"cannot read the audit log ({type(exc).__name__}: {exc}); run `stca db upgrade`?") from None
    finally:
        engine.dispose()
    text = json.dumps(mark.to_dict(), indent=2)
    if output is None:
        typer.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise _fail(f"--output: cannot write {output} ({exc.strerror})") from None
    typer.echo(f"checkpoint of row {mark.seq} written to {output}")


@db_app.command("backup")
def db_backup(
    path: Annotated[Path, typer.Argument(help="the backup file to create (it must not exist)")],
) -> None:
    """Back up the desk's database while the desk runs.

    SQLite: SQLite's online backup (a consistent copy, writers keep writing). PostgreSQL: pg_dump's custom
    format (STCA_PG_BIN names the directory of pg_dump/pg_restore when they are not on PATH).
    Example: [bold]stca db backup desk-2026-12-01.backup[/bold]. Keep the audit key (STCA_AUDIT_KEY or the
    audit_key file) with it, apart: without the key a restored audit log cannot be verified.
    """
    from stca.desk import backup

    settings = _settings()
    if path.exists():
        raise _fail(f"PATH: {path} already exists; choose a new file name")
    try:
        backup.backup(settings.database_url, path)
    except backup.BackupError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"backed up {_redacted(settings.database_url)} to {path} ({path.stat().st_size} bytes)")


@db_app.command("restore")
def db_restore(
    path: Annotated[Path, typer.Argument(help="a file written by `stca db backup`")],
) -> None:
    """Restore a backup into the (new, empty) database at STCA_DATABASE_URL, then verify its audit log.

    Example: [bold]STCA_DATABASE_URL=sqlite:///restored.sqlite3 stca db restore desk-2026-12-01.backup[/bold].
    Exits 1 if the restored audit log does not verify with the audit key.
    """
    from stca.desk import backup, services
    from stca.desk.db import make_engine, make_sessionmaker

    settings = _settings()
    try:
        backup.restore(path, settings.database_url)
    except backup.BackupError as exc:
        raise _fail(str(exc)) from None
    _upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine, audit_key=settings.audit_key_bytes())() as db:
            report = services.verify_audit(db)
    finally:
        engine.dispose()
    typer.echo(f"restored {path} into {_redacted(settings.database_url)}")
    if not report.ok:
        typer.echo(f"audit log BROKEN at row {report.first_bad_seq}: {report.problem} (another audit key?)",
                   err=True)
        raise typer.Exit(code=1)
    typer.echo(f"audit log intact: {report.rows} rows, hash chain verified")


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="add demo accounts, sites and ~40 cases first, in a separate "
                                       "demo database (demo.sqlite3) unless STCA_DATABASE_URL is set")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="server processes (each with its own "
                                         "connections; SQLite serialises their writes)")] = 1,
) -> None:
    """Run the case desk (web pages and JSON API) after migrating the database.

    Examples: [bold]stca serve --workers 4[/bold];
    [bold]stca serve --demo --port 8080[/bold] (adds one demo account per role and prints the
    logins: intake/intake-demo, eligibility/eligibility-demo, supervisor/supervisor-demo,
    analyst/analyst-demo, admin/admin-demo); [bold]stca serve[/bold];
    [bold]STCA_DATABASE_URL=postgresql://stca@db/stca stca serve --host 0.0.0.0[/bold].
    API documentation: http://HOST:PORT/docs — anonymous determinations: POST /api/v1/determinations.
    """
    import uvicorn

    settings = _settings()
    if host in ("127.0.0.1", "::1", "localhost") and "STCA_COOKIE_SECURE" not in os.environ:
        # uvicorn serves plain HTTP and a loopback address never leaves this machine: the session
        # cookie cannot be "Secure" here. Any other address keeps it Secure (TLS in front).
        settings = settings.model_copy(update={"cookie_secure": False})
    if demo and "STCA_DATABASE_URL" not in os.environ:
        # Demo accounts have published passwords: they never go into the real default database.
        from stca.desk.config import data_dir

        settings = settings.model_copy(update={"database_url": f"sqlite:///{data_dir() / 'demo.sqlite3'}"})
    _upgrade(settings.database_url)
    # With several workers each builds its own app; this process only supervises them.
    app = None
    if workers == 1 or demo:
        from stca.desk.app import create_app

        app = create_app(settings)
    # A wildcard address is where the server listens, not an address a browser can open.
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = f"http://{shown}:{port}"
    if demo and app is not None:
        from stca.desk import services

        with app.state.sessionmaker() as db:
            summary = services.seed_demo(db)
        typer.echo(f"demo data ready: {summary.cases} cases, {summary.sites} reception sites "
                   f"(database: {_redacted(settings.database_url)})")
        typer.echo(f"\nOpen {base}/login and sign in with a demo account:")
        typer.echo(f"  {'role':<21} {'user name':<13} password")
        for username, password in summary.users.items():
            role = services.DEMO_USERS[username][0].replace("_", " ")
            typer.echo(f"  {role:<21} {username:<13} {password}")
        typer.echo("")
    typer.echo(f"case desk on {base}/  (public check: {base}/check, API docs: {base}/docs; Ctrl+C stops it)")
    # Keep idle connections 30 s (uvicorn's default is 5): a client or proxy reusing a connection the
    # server has just closed sees a reset instead of an answer.
    if workers == 1 and app is not None:
        uvicorn.run(app, host=host, port=port, log_level="info", timeout_keep_alive=KEEP_ALIVE_SECONDS)
        return
    # Each worker process builds its own app from the environment: hand it the settings resolved here.
    if app is not None:
        app.state.engine.dispose()
    os.environ["STCA_DATABASE_URL"] = settings.database_url
    os.environ["STCA_SECRET_KEY"] = settings.secret_key
    os.environ["STCA_AUDIT_KEY"] = settings.audit_key_bytes().decode()
    os.environ["STCA_COOKIE_SECURE"] = "true" if settings.cookie_secure else "false"
    uvicorn.run("stca.desk.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", timeout_keep_alive=KEEP_ALIVE_SECONDS)


def _redacted(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparsable URL)"


def register(app: typer.Typer) -> None:
    """Add the desk commands to the main ``stca`` app."""
    app.command("serve")(serve)
    app.add_typer(db_app, name="db")
    app.add_typer(admin_app, name="admin")
    app.add_typer(audit_app, name="audit")
