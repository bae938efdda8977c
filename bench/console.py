"""Live console latency: from a buyer's message arriving (the signed webhook sent) to
the console update on every staff socket that may see it.

    .venv/bin/python bench/console.py [--sockets 50] [--conversations 200] [--rate 20]

One uvicorn worker and a django-q2 cluster (as `make run` starts them), the demo data,
`--sockets` console sockets (a third admins who see everything, the rest reps who see
their teams' customers), and `--conversations` buyers each writing one WhatsApp message
at `--rate` messages per second. A message reaches the console after the webhook keeps
its receipt, a task records it (identity, conversation, timeline) and, on commit, the
event goes through the Redis channel layer to the sockets of the users who may see it.
"""

import argparse
import asyncio
import json
import sys
import time
import uuid
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from api_companies import bench_env  # noqa: E402
from common import (  # noqa: E402
    fresh_demo_database,
    machine_summary,
    percentiles,
    start_cluster,
    start_uvicorn,
    stop_all,
    wait_for,
)
from whatsapp_ingest import payload, sign  # noqa: E402

from scripts.launcher import service_environment  # noqa: E402

PORT = 8079
DATABASE = "portolan_bench_console"
SECRET = "bench-app-secret"


SESSIONS = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from crm.models import User
names = ["admin", "rep1", "rep2"]
keys = []
for index in range({sockets}):
    user = User.objects.get(username=names[index % 3])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""


def setup(env: dict, sockets: int) -> list[str]:
    """A fresh database with the demo data, and one session key per console socket."""
    printed = fresh_demo_database(env, SESSIONS.format(sockets=sockets))
    return json.loads(printed.strip().splitlines()[-1])


async def watch(session_key: str, arrivals: dict, ready: asyncio.Event, stop: asyncio.Event):
    """One console socket: note when each benchmark message's update arrives."""
    async with connect(
        f"ws://127.0.0.1:{PORT}/ws/console/",
        additional_headers={
            "Cookie": f"sessionid={session_key}",
            "Origin": f"http://127.0.0.1:{PORT}",
        },
        open_timeout=30,
        max_size=2**22,
    ) as socket:
        hello = json.loads(await socket.recv())
        assert hello["type"] == "hello", hello
        ready.set()
        while not stop.is_set():
            try:
                frame = json.loads(await asyncio.wait_for(socket.recv(), 0.5))
            except TimeoutError:
                continue
            text = ((frame.get("message") or {}).get("text")) or (
                ((frame.get("conversation") or {}).get("last_message") or {}).get("text") or ""
            )
            if frame.get("type") == "message" and "bench-" in text:
                token = text.split("bench-", 1)[1].split()[0]
                arrivals.setdefault(token, []).append(time.perf_counter())


async def run(keys: list[str], conversations: int, rate: float) -> tuple[dict, dict]:
    arrivals: dict[str, list[float]] = {}
    sent: dict[str, float] = {}
    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in keys]
    watchers = [
        asyncio.create_task(watch(key, arrivals, ready, stop))
        for key, ready in zip(keys, readies, strict=True)
    ]
    await asyncio.gather(*(ready.wait() for ready in readies))
    run_id = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as client:
        started = time.perf_counter()
        posts = []
        for index in range(conversations):
            delay = started + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            token = f"{run_id}{index:05d}"
            body = json.loads(payload(index, run_id))
            message = body["entry"][0]["changes"][0]["value"]["messages"][0]
            message["text"]["body"] = f"Hello, price of the LED panel please bench-{token}"
            raw = json.dumps(body).encode()
            sent[token] = time.perf_counter()
            posts.append(
                asyncio.create_task(
                    client.post(
                        "/hooks/whatsapp/",
                        content=raw,
                        headers={
                            "Content-Type": "application/json",
                            "X-Hub-Signature-256": sign(raw),
                        },
                    )
                )
            )
        await asyncio.gather(*posts)
    await asyncio.sleep(15)  # let the cluster record the tail
    stop.set()
    await asyncio.gather(*watchers, return_exceptions=True)
    return sent, arrivals


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=50)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20)
    args = parser.parse_args()
    base_env, services = service_environment(ROOT / ".data", "portolan")
    env = bench_env(base_env)
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("/portolan_bench", f"/{DATABASE}")
    env["REDIS_KEY_PREFIX"] = "portolan-bench-console"
    env["WHATSAPP_APP_SECRET"] = SECRET
    env["WHATSAPP_API_BASE"] = "http://127.0.0.1:9"  # replies are not what is measured here
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    children = []
    try:
        keys = setup(env, args.sockets)
        children.append(start_uvicorn(env, PORT, "--ws-per-message-deflate", "false"))
        children.append(start_cluster(env))
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        sent, arrivals = asyncio.run(run(keys, args.conversations, args.rate))
        latencies = [
            (arrived - sent[token]) * 1000 for token, times in arrivals.items() for arrived in times
        ]
        print(machine_summary())
        print(
            f"{args.sockets} console sockets, {args.conversations} buyer conversations, "
            f"{args.rate:.0f} messages/s; one uvicorn worker + a django-q2 cluster"
        )
        if not latencies:
            print("no console update arrived")
            return 1
        p = percentiles(latencies)
        print(
            f"messages seen on a console: {len(arrivals)} of {len(sent)}; updates delivered: "
            f"{len(latencies)}; inbound → console update p50={p[50]:.0f} ms p95={p[95]:.0f} ms "
            f"p99={p[99]:.0f} ms max={max(latencies):.0f} ms"
        )
        return 0
    finally:
        stop_all(children)
        if services:
            services.stop()


if __name__ == "__main__":
    raise SystemExit(main())
