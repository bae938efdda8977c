"""Helpers the benchmark scripts share: machine description, percentiles, waiting."""

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts import launcher  # noqa: E402


def machine_summary() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        pass
    return f"machine: {cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; Python {platform.python_version()}"


def percentiles(values: list[float]) -> dict[int, float]:
    ordered = sorted(values)
    if len(ordered) == 1:
        return {50: ordered[0], 95: ordered[0], 99: ordered[0]}
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {50: cuts[49], 95: cuts[94], 99: cuts[98]}


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


# -- servers for the end-to-end benchmarks ------------------------------------------

ROOT = Path(__file__).resolve().parent.parent

_FRESH_DEMO_DATABASE = """
import os, django, psycopg, dj_database_url
cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
admin = psycopg.connect(dbname="postgres", user=cfg["USER"], host=cfg["HOST"] or None,
                        port=cfg["PORT"] or None, autocommit=True)
admin.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
admin.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
admin.close()
django.setup()
from django.core.cache import cache
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("demo_data", verbosity=0)
cache.clear()
"""


def fresh_demo_database(env: dict, then: str = "") -> str:
    """Recreate the database of `env` with the demo data, then run the code `then` there
    (Django set up); returns what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_DEMO_DATABASE + then],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def start_uvicorn(env: dict, port: int, *options: str) -> subprocess.Popen:
    """One uvicorn worker, with a connection pool as `make run` gives it."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            *options,
        ],
        cwd=ROOT,
        env={**env, "DB_POOL_MAX_SIZE": "10"},
    )


def start_cluster(env: dict) -> subprocess.Popen:
    """A django-q2 cluster as `make run` starts it (lower CPU priority), quiet."""
    return launcher.start_cluster(env, quiet=True)


def stop_all(children: list[subprocess.Popen]) -> None:
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
