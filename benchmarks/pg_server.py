"""A throwaway PostgreSQL server for the test session, started from Debian's binaries.

initdb into a temporary directory, listen on 127.0.0.1 at a free port only, stop and remove
it afterwards. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    """A running server; `url` is a SQLAlchemy URL for its `postgres` database."""

    bindir: Path
    datadir: Path
    port: int
    user: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        _run_as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"],
                      check=False)
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def _run_as_owner(argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, check=check)


def start() -> PostgresServer:
    """Start a fresh server; raises RuntimeError with the server's words when it cannot."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found (install Debian's postgresql)")
    root = Path(tempfile.mkdtemp(prefix="nightwatch-pg-"))
    datadir = root / "data"
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    os.chmod(root, 0o755)
    init = _run_as_owner([str(bindir / "initdb"), "-D", str(datadir), "-U", user, "-A", "trust",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=False)
    if init.returncode != 0:
        raise RuntimeError(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off -c max_connections=60"
    started = _run_as_owner([str(bindir / "pg_ctl"), "-D", str(datadir), "-o", options, "-l",
                             str(root / "server.log"), "-w", "-t", "60", "start"], check=False)
    if started.returncode != 0:
        log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {started.stderr.strip()} {log[-800:]}")
    server = PostgresServer(bindir=bindir, datadir=datadir, port=port, user=user)
    _wait_ready(server)
    return server


def _wait_ready(server: PostgresServer, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready = subprocess.run([str(server.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(server.port)],
                               capture_output=True, check=False)
        if ready.returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError("PostgreSQL did not become ready in time")
