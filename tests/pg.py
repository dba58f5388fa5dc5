"""A throwaway PostgreSQL server on 127.0.0.1 for the database tests."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL's server programs are not installed or the server did not start."""


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).resolve().parent
    raise PostgresUnavailableError(
        "PostgreSQL's server (pg_ctl) is not installed; run `make test`"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], as_postgres: bool) -> None:
    # initdb and postgres refuse to run as root: use the postgres system user then.
    command = ["runuser", "-u", "postgres", "--", *args] if as_postgres else args
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    if result.returncode != 0:
        raise PostgresUnavailableError(
            f"{args[0]} failed: {result.stderr.strip() or result.stdout}"
        )


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server in a temporary folder; yield its SQLAlchemy URL; stop and delete it."""
    bindir = _bindir()
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="fibrobot-pg-"))
    data = folder / "data"
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "fibro"], as_postgres)
        options = f"-p {port} -k {folder} -h 127.0.0.1 -c fsync=off"
        pg_ctl = str(bindir / "pg_ctl")
        _run(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
            as_postgres,
        )
        try:
            yield f"postgresql+psycopg://fibro@127.0.0.1:{port}/postgres"
        finally:
            _run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], as_postgres)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
