"""``stca serve``, ``stca db upgrade|backup|restore``, ``stca admin create-user``, ``stca audit verify|checkpoint``.

FastAPI, SQLAlchemy and uvicorn are imported inside the commands so other commands start fast.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stca._cli._common import Command, Group, fail, fail_all

if TYPE_CHECKING:
    from stca.desk.config import Settings

db_app = typer.Typer(cls=Group, help="The case-desk database.", no_args_is_help=True)
admin_app = typer.Typer(cls=Group, help="Case-desk accounts.", no_args_is_help=True)
audit_app = typer.Typer(cls=Group, help="The case-desk audit log.", no_args_is_help=True)

KEEP_ALIVE_SECONDS = 30
"""How long ``stca serve`` keeps an idle HTTP connection open."""

_ROLES = ("intake_officer", "eligibility_officer", "supervisor", "analyst", "admin")


#: What a setting read from the environment must look like, by pydantic's error type, in the project's words.
_EXPECTED = {"int_parsing": "expected a whole number", "bool_parsing": "expected true or false",
             "string_too_short": "too short (at least {min_length} characters)",
             "json_invalid": "expected a JSON list, e.g. [\"desk.example.ca\"]",
             "tuple_type": "expected a JSON list, e.g. [\"desk.example.ca\"]"}


def _settings() -> Settings:
    from pydantic import ValidationError

    from stca.desk.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            expected = _EXPECTED.get(err["type"], "not a usable value").format(**err.get("ctx", {}))
            got = f", got {err['input']!r}" if isinstance(err.get("input"), str | int) else ""
            problems.append(f"STCA_{str(err['loc'][0]).upper()}: {expected}{got}")
        fail_all(problems)


def _reason(exc: Exception) -> str:
    """The database driver's own first line (SQLAlchemy wraps it in several lines and a link)."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def _upgrade(url: str) -> None:
    from stca.desk.db import upgrade

    try:
        upgrade(url)
    except Exception as exc:  # a wrong URL or an unreachable server: say so, no traceback
        fail(f"STCA_DATABASE_URL: cannot migrate the database there ({_reason(exc)})")


@db_app.command("upgrade", cls=Command)
def db_upgrade() -> None:
    """Create or migrate the desk's tables to the latest version.

    Example: [bold]STCA_DATABASE_URL=postgresql://stca@localhost/stca stca db upgrade[/bold]
    (without STCA_DATABASE_URL: an SQLite file in your user data directory).
    """
    settings = _settings()
    _upgrade(settings.database_url)
    typer.echo(f"database is at the latest version ({_redacted(settings.database_url)})")


@admin_app.command("create-user", cls=Command)
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
        fail(f"--role: expected one of {', '.join(_ROLES)}, got {role!r}")
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
        field = exc.field if exc.field and not exc.message.startswith(exc.field) else None
        fail(f"{field}: {exc.message}" if field else exc.message)
    finally:
        engine.dispose()
    typer.echo(f"created {user.username} ({user.role})")


def _read_checkpoint(path: Path) -> Any:
    from stca.desk.audit import Checkpoint

    try:
        return Checkpoint.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        fail(f"--against: cannot read {path} ({exc.strerror})")
    except ValueError as exc:  # JSONDecodeError is a ValueError
        fail(f"--against: {path} is not a checkpoint ({exc})")


@audit_app.command("verify", cls=Command)
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
        fail(f"STCA_DATABASE_URL: cannot read the audit log there ({_reason(exc)}); run `stca db upgrade`?")
    finally:
        engine.dispose()
    if report.ok:
        anchored = f", up to the checkpoint's row {checkpoint.seq}" if checkpoint is not None else ""
        typer.echo(f"audit log intact: {report.rows} rows, hash chain verified{anchored}")
        return
    where = f" at row {report.first_bad_seq}" if report.first_bad_seq is not None else ""
    typer.echo(f"stca: audit log: BROKEN{where}: {report.problem}", err=True)
    raise typer.Exit(code=1)


@audit_app.command("checkpoint", cls=Command)
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
        fail(f"STCA_DATABASE_URL: cannot read the audit log there ({_reason(exc)}); run `stca db upgrade`?")
    finally:
        engine.dispose()
    text = json.dumps(mark.to_dict(), indent=2)
    if output is None:
        typer.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"--output: cannot write {output} ({exc.strerror})")
    typer.echo(f"checkpoint of row {mark.seq} written to {output}")


@db_app.command("backup", cls=Command)
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
        fail(f"PATH: {path} already exists; choose a new file name")
    try:
        backup.backup(settings.database_url, path)
    except backup.BackupError as exc:
        fail(str(exc))
    typer.echo(f"backed up {_redacted(settings.database_url)} to {path} ({path.stat().st_size} bytes)")


@db_app.command("restore", cls=Command)
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
        fail(str(exc))
    _upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine, audit_key=settings.audit_key_bytes())() as db:
            report = services.verify_audit(db)
    finally:
        engine.dispose()
    typer.echo(f"restored {path} into {_redacted(settings.database_url)}")
    if not report.ok:
        typer.echo(f"stca: audit log: BROKEN at row {report.first_bad_seq}: {report.problem} (another audit key?)",
                   err=True)
        raise typer.Exit(code=1)
    typer.echo(f"audit log intact: {report.rows} rows, hash chain verified")


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (0: any free port, printed once bound)", min=0, max=65535)]
    = 8000,
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
    listening = _listen(host, port)  # bound before anything is printed: the address shown is the real one
    # With several workers each builds its own app; this process only supervises them.
    app = None
    if workers == 1 or demo:
        from stca.desk.app import create_app

        app = create_app(settings)
    # A wildcard address is where the server listens, not an address a browser can open.
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = f"http://{'[' + shown + ']' if ':' in shown else shown}:{listening.getsockname()[1]}"
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
    else:
        _first_administrator_hint(settings)
    typer.echo(f"case desk on {base}/  (public check: {base}/check, API docs: {base}/docs; Ctrl+C stops it)")
    sys.stdout.flush()
    # Keep idle connections 30 s (uvicorn's default is 5): a client or proxy reusing a connection the
    # server has just closed sees a reset instead of an answer.
    if workers == 1 and app is not None:
        config = uvicorn.Config(app, log_level="info", timeout_keep_alive=KEEP_ALIVE_SECONDS)
        uvicorn.Server(config).run(sockets=[listening])
        return
    # Each worker process builds its own app from the environment: hand it the settings resolved here.
    if app is not None:
        app.state.engine.dispose()
    os.environ["STCA_DATABASE_URL"] = settings.database_url
    os.environ["STCA_SECRET_KEY"] = settings.secret_key
    os.environ["STCA_AUDIT_KEY"] = settings.audit_key_bytes().decode()
    # What uvicorn.run does for several workers, on the socket bound above.
    from uvicorn.supervisors import Multiprocess

    os.environ["STCA_COOKIE_SECURE"] = "true" if settings.cookie_secure else "false"
    config = uvicorn.Config("stca.desk.app:create_app", factory=True, workers=workers, log_level="info",
                            timeout_keep_alive=KEEP_ALIVE_SECONDS)
    Multiprocess(config, sockets=[listening]).run()


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: one the system picks), or exit 2 saying why not.

    The server is handed this very socket, so the port printed is the port served, and a port in use is
    reported before anything starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        fail(f"--port: cannot listen on {host}:{port} ({exc.strerror or exc})")
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _first_administrator_hint(settings: Settings) -> None:
    """On a database without accounts nobody can sign in: say which command creates the first one."""
    from stca.desk import services
    from stca.desk.db import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as db:
            if services.list_users(db):
                return
    finally:
        engine.dispose()
    typer.echo("No account exists yet: nobody can sign in. Create the first administrator with\n"
               "  stca admin create-user NAME --role admin\n"
               "(with the same STCA_DATABASE_URL), then sign in at /login.\n")


def _redacted(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparsable URL)"


def register(app: typer.Typer) -> None:
    """Add the desk commands to the main ``stca`` app."""
    app.command("serve", cls=Command)(serve)
    app.add_typer(db_app, name="db")
    app.add_typer(admin_app, name="admin")
    app.add_typer(audit_app, name="audit")
