"""Companies API latency with 10,000 companies, over real HTTP against one ASGI worker.

Seeds a separate database (`portolan_bench`) with 10,000 companies, 20,000 contacts
and 50,000 interactions, starts the ASGI server, and measures
`GET /api/v1/companies/` (list, search) and `GET /api/v1/companies/<id>/` as a
manager (sees all) and as a rep (sees half), sequentially and with concurrent clients.

    .venv/bin/python bench/api_companies.py [--server uvicorn|daphne] [--requests 400]

Uses DATABASE_URL / REDIS_URL when set (the database name is replaced by
`portolan_bench`), otherwise the embedded services under .data/.
"""

import argparse
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine_summary, percentiles, wait_for  # noqa: E402

from scripts.launcher import service_environment  # noqa: E402

COMPANIES = 10_000
PORT = 8077
WORDS = [
    "Andes",
    "Lumen",
    "Nordic",
    "Pacific",
    "Sahara",
    "Volta",
    "Atlas",
    "Orion",
    "Delta",
    "Zenith",
    "Aurora",
    "Baltic",
    "Cobalt",
    "Harbor",
    "Summit",
    "Meridian",
    "Solar",
    "Electro",
    "Prime",
    "Vertex",
]
SUFFIXES = [
    "S.A.C.",
    "Ltda.",
    "GmbH",
    "LLC",
    "SARL",
    "Pte. Ltd.",
    "Inc.",
    "S.p.A.",
    "B.V.",
    "Sp. z o.o.",
]
COUNTRIES = [
    "PE",
    "BR",
    "DE",
    "AE",
    "RU",
    "FR",
    "SG",
    "US",
    "CL",
    "MX",
    "ES",
    "IT",
    "PL",
    "NL",
    "SA",
]


def bench_env(base_env: dict) -> dict:
    import dj_database_url

    env = dict(base_env)
    config = dj_database_url.parse(env["DATABASE_URL"])
    host = config["HOST"] or ""
    if host.startswith("/"):
        env["DATABASE_URL"] = f"postgres://{config['USER']}@/portolan_bench?host={host}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{config['USER']}@{host}:{config['PORT'] or 5432}/portolan_bench"
        )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    env["DEBUG"] = "False"
    env["LOG_LEVEL"] = "WARNING"
    env["REDIS_KEY_PREFIX"] = "portolan-bench"
    return env


def seed(env: dict) -> None:
    """Recreate the bench database and fill it (in a child process with Django set up)."""
    code = f"""
import os, random, django
from datetime import timedelta
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
import psycopg
from django.conf import settings
import dj_database_url
cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
admin_conn = psycopg.connect(dbname="postgres", user=cfg["USER"], host=cfg["HOST"] or None, port=cfg["PORT"] or None, autocommit=True)
admin_conn.execute("DROP DATABASE IF EXISTS portolan_bench WITH (FORCE)")
admin_conn.execute("CREATE DATABASE portolan_bench")
admin_conn.close()
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from crm.services.demo import demo_data_load
demo_data_load()
from django.utils import timezone
from crm.models import Company, Contact, Interaction, Team, User
random.seed(7)
teams = list(Team.objects.order_by("name"))
owners = {{team.pk: team.members.filter(groups__name="rep").first() for team in teams}}
words, suffixes, countries = {WORDS!r}, {SUFFIXES!r}, {COUNTRIES!r}
companies = []
for i in range({COMPANIES}):
    team = teams[i % 2]
    name = f"{{random.choice(words)}} {{random.choice(words)}} Lighting {{i:05d}} {{random.choice(suffixes)}}"
    companies.append(Company(legal_name=name, country=random.choice(countries), city="City %d" % (i % 300),
        tier=random.choice(["standard", "silver", "gold", "strategic"]), team=team, owner=owners[team.pk],
        email_domain=f"bench{{i}}.example", preferred_language=random.choice(["en", "es", "pt", "de", "fr", "ar", "ru", "zh-hans"])))
Company.objects.bulk_create(companies, batch_size=2000)
companies = list(Company.objects.filter(email_domain__startswith="bench"))
contacts = [Contact(company=c, name=f"Buyer {{c.pk}}-{{k}}", emails=[f"buyer{{k}}@{{c.email_domain}}"]) for c in companies for k in range(2)]
Contact.objects.bulk_create(contacts, batch_size=5000)
now = timezone.now()
interactions = [Interaction(company=c, direction="in", kind="message", channel="email", author="buyer",
    text=f"Please quote {{100 * (k + 1)}} units", occurred_at=now - timedelta(hours=k * 7)) for c in companies for k in range(5)]
Interaction.objects.bulk_create(interactions, batch_size=10000)
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(f"seeded {{Company.objects.count()}} companies, {{Contact.objects.count()}} contacts, {{Interaction.objects.count()}} interactions")
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def start_server(env: dict, server: str) -> subprocess.Popen:
    if server == "uvicorn":
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--port",
            str(PORT),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "daphne",
            "-p",
            str(PORT),
            "-v",
            "0",
            "config.asgi:application",
        ]
    process = subprocess.Popen(command, cwd=ROOT, env={**env, "DB_POOL_MAX_SIZE": "10"})
    wait_for(f"http://127.0.0.1:{PORT}/healthz")
    return process


def token(client: httpx.Client, username: str) -> str:
    response = client.post(
        "/api/v1/auth/token/", json={"username": username, "password": f"portolan-{username}"}
    )
    response.raise_for_status()
    return response.json()["token"]


def measure(client: httpx.Client, paths: list[str], headers: dict) -> list[float]:
    timings = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")
    return timings


def concurrent(
    base: str, paths: list[str], headers: dict, workers: int
) -> tuple[list[float], float]:
    chunks = [paths[i::workers] for i in range(workers)]
    started = time.perf_counter()

    def run(chunk):
        with httpx.Client(base_url=base, timeout=30) as client:
            return measure(client, chunk, headers)

    with ThreadPoolExecutor(workers) as pool:
        timings = [t for result in pool.map(run, chunks) for t in result]
    return timings, len(paths) / (time.perf_counter() - started)


def report(label: str, timings: list[float], rate: float | None = None) -> None:
    p = percentiles(timings)
    extra = f"  {rate:7.1f} req/s" if rate else ""
    print(
        f"{label:<46} n={len(timings):<5} p50={p[50]:6.1f} ms  p95={p[95]:6.1f} ms  p99={p[99]:6.1f} ms{extra}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded bench database")
    args = parser.parse_args()

    base_env, services = service_environment(ROOT / ".data", "portolan")
    env = bench_env(base_env)
    server = None
    try:
        if not args.no_seed:
            started = time.perf_counter()
            seed(env)
            print(f"seeding took {time.perf_counter() - started:.1f} s")
        server = start_server(env, args.server)
        base = f"http://127.0.0.1:{PORT}"
        print(machine_summary())
        print(f"server: {args.server}, one worker; {args.requests} requests per sequential row")
        random.seed(11)
        with httpx.Client(base_url=base, timeout=30) as client:
            for username in ("manager", "rep1"):
                headers = {"Authorization": f"Token {token(client, username)}"}
                listed = client.get("/api/v1/companies/?page_size=100", headers=headers).json()
                count = listed["count"]
                ids = [row["id"] for row in listed["results"]]
                pages = max(1, count // 25)
                measure(client, ["/api/v1/companies/"] * 20, headers)  # warm up
                list_paths = [
                    f"/api/v1/companies/?page={random.randint(1, pages)}"
                    for _ in range(args.requests)
                ]
                detail_paths = [
                    f"/api/v1/companies/{random.choice(ids)}/" for _ in range(args.requests)
                ]
                search_paths = [
                    f"/api/v1/companies/?search={random.choice(WORDS)}"
                    for _ in range(args.requests // 2)
                ]
                print(f"-- as {username} (sees {count} companies)")
                report("list  GET /api/v1/companies/?page=N", measure(client, list_paths, headers))
                report("detail GET /api/v1/companies/<id>/", measure(client, detail_paths, headers))
                report(
                    "search GET /api/v1/companies/?search=word",
                    measure(client, search_paths, headers),
                )
                timings, rate = concurrent(base, list_paths, headers, workers=8)
                report("list, 8 concurrent clients", timings, rate)
                timings, rate = concurrent(base, detail_paths, headers, workers=8)
                report("detail, 8 concurrent clients", timings, rate)
        return 0
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        if services:
            services.stop()


if __name__ == "__main__":
    sys.exit(main())
