"""Website chat round trip with one ASGI worker and a django-q2 cluster, as in production.

Seeds a separate database (`portolan_bench_chat`: migrations + demo data), starts uvicorn
(one worker) and `manage.py qcluster`, then:

1. memory per open socket: RSS of the uvicorn process before and after N idle widgets
   (connected, hello answered) are open, divided by N;
2. round trip: C concurrent widget clients each send M messages, waiting for the answer
   and a think time between them. Round trip = buyer message sent → assistant reply
   received on the socket (the path: store → task queue → assistant turn → outbox task →
   web adapter → Redis channel layer → socket). The echo (stored, seq assigned) is
   reported too, and the reply time is split by the database timestamps.

    .venv/bin/python bench/webchat.py [--clients 200] [--messages 5] [--think 10] [--idle 1000]
                                      [--q-workers 2] [--no-deflate] [--no-seed] [--assistant]

Uses DATABASE_URL / REDIS_URL when set (the database name is replaced), otherwise the
embedded services under .data/. Its Redis keys and task queue use their own prefix.
"""

import argparse
import asyncio
import json
import random
import socket
import sys
import time
import uuid
from pathlib import Path

import psutil
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

from scripts.launcher import service_environment  # noqa: E402

DATABASE = "portolan_bench_chat"
QUESTIONS = [
    ("es-PE", "Hola, ¿precio de 2000 paneles LED 600x600 CIF Callao?"),
    ("en-US", "Hi, what is the lead time for 500 high bay lights?"),
    ("de-DE", "Guten Tag, können Sie Muster der LED-Röhre T8 schicken?"),
    ("pt-BR", "Olá, qual o prazo de entrega para 300 luminárias solares?"),
    ("fr-FR", "Bonjour, quel est le prix FOB Ningbo pour 1000 panneaux ?"),
    ("ar-AE", "مرحبًا، ما هو سعر 500 لوحة LED؟"),
    ("ru-RU", "Здравствуйте, какой срок поставки 1000 панелей?"),
    ("zh-CN", "你好，LP-6060-40 一千片的价格是多少？"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def chat_env(base_env: dict) -> dict:
    env = bench_env(base_env)
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("/portolan_bench", f"/{DATABASE}")
    env["REDIS_KEY_PREFIX"] = "portolan-bench-chat"  # its own task queue and channel layer
    # Every simulated visitor comes from 127.0.0.1 and talks fast: the limits are not
    # what is measured here.
    env["WEB_CHAT_SESSIONS_PER_IP_PER_HOUR"] = "0"
    env["WEB_CHAT_MESSAGES_PER_MINUTE"] = "0"
    return env


def seed(env: dict) -> None:
    fresh_demo_database(env)


class Widget:
    """One browser tab with the widget: a socket, a token, the last sequence it saw."""

    def __init__(self, url: str, origin: str, lang: str):
        self.url, self.origin, self.lang = url, origin, lang
        self.socket = None

    async def open(self) -> dict:
        self.socket = await connect(self.url, origin=self.origin, open_timeout=30)
        await self.socket.send(
            json.dumps(
                {
                    "type": "hello",
                    "token": None,
                    "last_seq": 0,
                    "lang": self.lang,
                    "page": "/chat/demo/",
                }
            )
        )
        return json.loads(await self.socket.recv())

    async def ask(self, text: str, timeout: float = 30) -> tuple[str, float, float]:
        """(client id, ms to the echo, ms to the assistant's reply)."""
        client_id = uuid.uuid4().hex
        started = time.perf_counter()
        await self.socket.send(
            json.dumps({"type": "message", "text": text, "client_id": client_id})
        )
        echo_seq, echo_ms = None, None
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self.socket.recv())
                now = (time.perf_counter() - started) * 1000
                if frame["type"] == "error":
                    raise RuntimeError(frame)
                if frame["type"] != "message":
                    continue
                if frame.get("client_id") == client_id:
                    echo_seq, echo_ms = frame["seq"], now
                elif frame["sender"] == "assistant" and echo_seq and frame["seq"] > echo_seq:
                    return client_id, echo_ms, now

    async def close(self):
        await self.socket.close()


async def idle_memory(url: str, origin: str, pid: int, count: int) -> tuple[float, float]:
    server = psutil.Process(pid)
    await asyncio.sleep(1)
    before = server.memory_info().rss
    widgets = [Widget(url, origin, "en-US") for _ in range(count)]
    for start in range(0, count, 100):  # open in batches, as page views would
        await asyncio.gather(*(w.open() for w in widgets[start : start + 100]))
    await asyncio.sleep(2)
    after = server.memory_info().rss
    await asyncio.gather(*(w.close() for w in widgets))
    return (after - before) / count, after / 2**20


async def conversations(url: str, origin: str, clients: int, messages: int, think: float):
    """All widgets connect first (concurrently open), then each visitor writes after a
    random delay and keeps a think time between answers and the next message."""
    results, failures = [], []
    widgets = [Widget(url, origin, QUESTIONS[i % len(QUESTIONS)][0]) for i in range(clients)]
    for start in range(0, clients, 100):
        await asyncio.gather(*(w.open() for w in widgets[start : start + 100]))

    async def visitor(index: int, widget: Widget):
        text = QUESTIONS[index % len(QUESTIONS)][1]
        await asyncio.sleep(random.uniform(0, 2 * think))  # first messages spread out
        try:
            for turn in range(messages):
                client_id, echo_ms, reply_ms = await widget.ask(f"{text} ({index}.{turn})")
                results.append((client_id, echo_ms, reply_ms, time.time(), turn))
                await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
        except Exception as error:  # a lost reply or a refused socket counts as a failure
            failures.append(repr(error)[:200])
        finally:
            await widget.close()

    started = time.perf_counter()
    await asyncio.gather(*(visitor(i, w) for i, w in enumerate(widgets)))
    return results, failures, time.perf_counter() - started


def breakdown(env: dict, results: list) -> dict[str, list[float]]:
    """Where the reply time goes, from the rows' timestamps: stored → reply queued (task
    pickup + assistant turn) → sent (outbox task pickup + push) → received by the client."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(env["DATABASE_URL"])
    query = """
        SELECT split_part(i.provider_message_id, ':', 2),
               extract(epoch FROM i.created_at), extract(epoch FROM o.created_at),
               extract(epoch FROM ob.updated_at)
        FROM channels_app_message i
        JOIN channels_app_outboundmessage ob ON (ob.payload->>'in_reply_to')::bigint = i.id
        JOIN channels_app_message o ON o.id = ob.message_id
        WHERE i.channel = 'web' AND i.direction = 'in' AND ob.status = 'sent'
    """
    with psycopg.connect(
        dbname=cfg["NAME"], user=cfg["USER"], host=cfg["HOST"] or None, port=cfg["PORT"] or None
    ) as conn:
        rows = {row[0]: [float(v) for v in row[1:]] for row in conn.execute(query)}
        failed = conn.execute("SELECT count(*) FROM django_q_task WHERE NOT success").fetchone()[0]
    if failed:
        print(f"  !! {failed} tasks failed in the cluster (see django_q_task)")
    stages = {
        "client → stored": [],
        "stored → reply queued": [],
        "queued → sent": [],
        "sent → on the socket": [],
    }
    for client_id, _echo, reply_ms, received, _turn in results:
        if client_id not in rows:
            continue
        stored, queued, sent = rows[client_id]
        sent_by_client = received - reply_ms / 1000
        stages["client → stored"].append((stored - sent_by_client) * 1000)
        stages["stored → reply queued"].append((queued - stored) * 1000)
        stages["queued → sent"].append((sent - queued) * 1000)
        stages["sent → on the socket"].append((received - sent) * 1000)
    return stages


def cpu_seconds(server_pid: int, cluster_pid: int) -> dict[str, float]:
    """CPU time so far of the ASGI server, the cluster (with its workers), this
    benchmark's database backends and Redis."""

    def total(process: psutil.Process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    usage = {"uvicorn": total(psutil.Process(server_pid))}
    cluster = psutil.Process(cluster_pid)
    usage["qcluster"] = total(cluster) + sum(total(c) for c in cluster.children(recursive=True))
    usage["postgres"] = usage["redis"] = 0.0
    for process in psutil.process_iter(["name", "cmdline"]):
        try:
            command = " ".join(process.info["cmdline"] or [])
            if process.info["name"] == "postgres" and DATABASE in command:
                usage["postgres"] += total(process)
            elif (process.info["name"] or "").startswith("redis-server"):
                usage["redis"] += total(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    usage["benchmark clients"] = total(psutil.Process())
    return usage


def report(label: str, values: list[float]) -> None:
    if not values:
        return
    p = percentiles(values)
    print(f"  {label:<24} p50={p[50]:7.1f} ms  p95={p[95]:7.1f} ms  p99={p[99]:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument(
        "--think",
        type=float,
        default=10.0,
        help="mean seconds between an answer and the next message",
    )
    parser.add_argument("--idle", type=int, default=1000, help="idle sockets for the memory figure")
    parser.add_argument("--q-workers", type=int, default=2)
    parser.add_argument("--ws", default="auto", help="uvicorn's websocket implementation")
    parser.add_argument(
        "--no-deflate",
        action="store_true",
        help="uvicorn --ws-per-message-deflate false (half the memory per socket)",
    )
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument(
        "--assistant",
        action="store_true",
        help="answer with the assistant (default: the acknowledgement handler, so the "
        "channel's own path is measured)",
    )
    args = parser.parse_args()
    random.seed(5)

    base_env, services = service_environment(ROOT / ".data", "portolan")
    env = chat_env(base_env)
    env["Q_WORKERS"] = str(args.q_workers)
    if not args.assistant:
        env["TURN_HANDLER"] = "channels_app.services.acknowledge.conversation_turn_acknowledge"
    port = free_port()
    children = []
    try:
        if not args.no_seed:
            seed(env)
        server = start_uvicorn(
            env,
            port,
            "--ws",
            args.ws,
            "--ws-per-message-deflate",
            "false" if args.no_deflate else "true",
        )
        children.append(server)
        children.append(start_cluster(env))
        wait_for(f"http://127.0.0.1:{port}/healthz")
        url, origin = f"ws://127.0.0.1:{port}/ws/chat/", f"http://127.0.0.1:{port}"
        print(machine_summary())
        print(
            f"one uvicorn worker (--ws {args.ws}, per-message deflate {'off' if args.no_deflate else 'on'}) "
            f"+ a django-q2 cluster ({args.q_workers} workers), "
            "PostgreSQL and Redis on the same machine; replies by the "
            f"{'assistant' if args.assistant else 'acknowledgement handler'}"
        )
        asyncio.run(conversations(url, origin, 10, 2, 0.1))  # warm up every code path

        per_socket, rss = asyncio.run(idle_memory(url, origin, server.pid, args.idle))
        print(
            f"memory: {per_socket / 1024:.1f} KiB per open idle socket "
            f"({args.idle} sockets, server RSS {rss:.0f} MiB with them open)"
        )

        cpu_before = cpu_seconds(server.pid, children[1].pid)
        results, failures, elapsed = asyncio.run(
            conversations(url, origin, args.clients, args.messages, args.think)
        )
        cpu_after = cpu_seconds(server.pid, children[1].pid)
        print(
            f"{args.clients} concurrent widgets × {args.messages} messages, think time "
            f"{args.think:.1f} s mean: {len(results)} replies in {elapsed:.1f} s = "
            f"{len(results) / elapsed:.1f} round trips/s; {len(failures)} widgets failed"
        )
        for failure in failures[:3]:
            print(f"  failure: {failure}")
        if results:
            report("echo (stored, seq)", [r[1] for r in results])
            report("round trip (reply)", [r[2] for r in results])
            report("  first message", [r[2] for r in results if r[4] == 0])
            report("  later messages", [r[2] for r in results if r[4] > 0])
            print("where the reply time goes:")
            for label, values in breakdown(env, results).items():
                if values:
                    report(label, values)
            print("CPU per round trip (2 cores = 2,000 ms of CPU per second):")
            for name, before in cpu_before.items():
                used = (cpu_after[name] - before) * 1000
                print(
                    f"  {name:<18} {used / len(results):6.1f} ms  ({used / elapsed / 10:4.0f}% of a core)"
                )
        return 0 if not failures else 1
    finally:
        stop_all(children)
        if services:
            services.stop()


if __name__ == "__main__":
    sys.exit(main())
