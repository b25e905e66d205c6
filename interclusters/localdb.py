"""A project-local PostgreSQL cluster for development and tests.

Used when ``DATABASE_URL`` is not set: data in ``var/pgdata``, the Unix socket in
``var/run`` (or a short folder under the system temp dir when that path would be too
long for a socket), no TCP listener. Standard library only, so that the Makefile can
run it before anything is installed:

    python -m interclusters.localdb start|stop|status|url
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
DATA_DIR = VAR_DIR / "pgdata"
LOG_FILE = VAR_DIR / "log" / "postgresql.log"
DB_NAME = "interclusters"
DB_USER = "interclusters"
PORT = 5432
# sockaddr_un.sun_path holds 107 bytes on Linux and 103 on macOS.
MAX_SOCKET_PATH = 100

INSTALL_HINT = """\
No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found.
Install them, or point DATABASE_URL at an existing server:
  Debian/Ubuntu: sudo apt-get install postgresql postgresql-contrib
  macOS (Homebrew): brew install postgresql@15
  or: export DATABASE_URL=postgres://user:password@host:5432/interclusters"""


class LocalDbError(RuntimeError):
    pass


def socket_dir() -> Path:
    """The folder holding the server's socket, short enough for the OS limit."""
    preferred = VAR_DIR / "run"
    if len(str(preferred / f".s.PGSQL.{PORT}")) <= MAX_SOCKET_PATH:
        return preferred
    digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"interclusters-pg-{digest}"


def database_url() -> str:
    return f"postgres://{DB_USER}@/{DB_NAME}?host={socket_dir()}"


def find_bindir() -> Path:
    """Locate initdb/pg_ctl/postgres: PATH, then pg_config --bindir, then Debian's layout."""
    candidates: list[Path] = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
            candidates.append(Path(out))
        except (OSError, subprocess.CalledProcessError):
            pass

    def version_key(path: str) -> float:
        try:
            return float(Path(path).parent.name)
        except ValueError:
            return 0.0

    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version_key, reverse=True)
    candidates.extend(Path(p) for p in debian)
    for candidate in candidates:
        if all((candidate / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return candidate
    raise LocalDbError(INSTALL_HINT)


def _server_user() -> str | None:
    """As root, the server runs as ``postgres`` (initdb refuses root)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise LocalDbError(
            "Running as root, but there is no 'postgres' user to run the server as. "
            "Create one (useradd --system postgres) or run as an ordinary user."
        ) from exc
    return "postgres"


def _as_server_user(cmd: list[str], user: str | None, **kwargs) -> subprocess.CompletedProcess:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, **kwargs)


def _make_reachable(path: Path, user: str) -> None:
    """Let ``user`` traverse every folder above ``path`` (a clone may sit under /root)."""
    for parent in reversed(path.parents):
        probe = _as_server_user(["test", "-x", str(parent)], user)
        if probe.returncode == 0:
            continue
        if shutil.which("setfacl"):
            subprocess.run(["setfacl", "-m", f"u:{user}:x", str(parent)], check=True)
            print(f"localdb: gave user {user} traverse access to {parent} (ACL)")
        else:
            parent.chmod(parent.stat().st_mode | 0o001)
            print(f"localdb: made {parent} traversable (o+x) for user {user}")


def _prepare_dirs(user: str | None) -> None:
    sock = socket_dir()
    for folder in (VAR_DIR, DATA_DIR.parent, LOG_FILE.parent, sock):
        folder.mkdir(parents=True, exist_ok=True)
    if user:
        entry = pwd.getpwnam(user)
        for folder in (LOG_FILE.parent, sock):
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        if not DATA_DIR.exists():
            DATA_DIR.mkdir(mode=0o700)
        os.chown(DATA_DIR, entry.pw_uid, entry.pw_gid)
        for folder in (DATA_DIR, LOG_FILE.parent, sock):
            _make_reachable(folder, user)


def _initdb(bindir: Path, user: str | None) -> None:
    if (DATA_DIR / "PG_VERSION").exists():
        return
    base = [str(bindir / "initdb"), "-D", str(DATA_DIR), "-U", DB_USER, "-A", "trust", "-E", "UTF8"]
    # French collation where the server has ICU, so that "Écully" sorts near "Ecully".
    icu = [*base, "--locale-provider=icu", "--icu-locale=fr-FR", "--locale=C.UTF-8"]
    result = _as_server_user(icu, user, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
        _prepare_dirs(user)
        result = _as_server_user([*base, "--locale=C.UTF-8"], user, capture_output=True, text=True)
    if result.returncode != 0:
        raise LocalDbError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
    conf = DATA_DIR / "postgresql.conf"
    settings = (
        "\n# interclusters: local development cluster\n"
        "listen_addresses = ''\n"
        f"unix_socket_directories = '{socket_dir()}'\n"
        # A throwaway development cluster: trade durability for speed.
        "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        "max_connections = 200\n"
        # Data sits in memory or on SSD: index scans are cheap.
        "random_page_cost = 1.1\n"
    )
    _as_server_user(["sh", "-c", f"cat >> '{conf}'"], user, input=settings, text=True, check=True)


def is_running(bindir: Path | None = None, user: str | None = None) -> bool:
    if not (DATA_DIR / "PG_VERSION").exists():
        return False
    bindir = bindir or find_bindir()
    result = _as_server_user(
        [str(bindir / "pg_ctl"), "status", "-D", str(DATA_DIR)], user, capture_output=True
    )
    return result.returncode == 0


def _psql(bindir: Path, sql: str, dbname: str = "postgres") -> str:
    psql = bindir / "psql" if (bindir / "psql").exists() else Path(shutil.which("psql") or "psql")
    result = subprocess.run(
        [str(psql), "-h", str(socket_dir()), "-U", DB_USER, "-d", dbname, "-tAc", sql],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise LocalDbError(f"psql failed: {result.stderr.strip()}")
    return result.stdout.strip()


def start() -> None:
    bindir = find_bindir()
    user = _server_user()
    _prepare_dirs(user)
    _initdb(bindir, user)
    if not is_running(bindir, user):
        result = _as_server_user(
            [
                str(bindir / "pg_ctl"),
                "start",
                "-D",
                str(DATA_DIR),
                "-l",
                str(LOG_FILE),
                "-w",
                "-t",
                "60",
                "-o",
                f"-k {socket_dir()} -c listen_addresses=''",
            ],
            user,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            log = LOG_FILE.read_text(errors="replace")[-2000:] if LOG_FILE.exists() else ""
            raise LocalDbError(f"PostgreSQL did not start:\n{result.stderr}\n{log}")
        for _ in range(50):
            if (socket_dir() / f".s.PGSQL.{PORT}").exists():
                break
            time.sleep(0.1)
    exists = f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"  # noqa: S608 (a constant)
    if _psql(bindir, exists) != "1":
        _psql(bindir, f'CREATE DATABASE "{DB_NAME}"')
    print(f"localdb: PostgreSQL ready, socket in {socket_dir()}")


def stop() -> None:
    if not (DATA_DIR / "PG_VERSION").exists():
        print("localdb: no local cluster")
        return
    bindir = find_bindir()
    user = _server_user()
    if is_running(bindir, user):
        _as_server_user(
            [str(bindir / "pg_ctl"), "stop", "-D", str(DATA_DIR), "-m", "fast", "-w"],
            user,
            check=True,
            capture_output=True,
        )
        print("localdb: stopped")
    else:
        print("localdb: not running")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    try:
        if command == "start":
            start()
        elif command == "stop":
            stop()
        elif command == "url":
            print(database_url())
        elif command == "status":
            print("running" if is_running(user=_server_user()) else "stopped")
        else:
            print("usage: python -m interclusters.localdb start|stop|status|url", file=sys.stderr)
            return 2
    except LocalDbError as exc:
        print(f"localdb: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
