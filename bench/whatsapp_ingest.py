"""Signed WhatsApp webhook ingest with one ASGI worker: sustained rate and
acknowledgement latency at a fixed offered load (open loop: requests go out on
schedule whether or not earlier ones have answered).

    .venv/bin/python bench/whatsapp_ingest.py [--rate 200] [--seconds 15] [--no-cluster]

Each request is a Cloud API webhook with one text message from one of 500 senders,
signed with X-Hub-Signature-256. The server verifies, parses, stores the message
(identity, conversation, timeline) and enqueues its processing; by default a django-q2
cluster runs beside it, as in production, on the same two cores.
"""

import argparse
import asyncio
import hashlib
import hmac
import json
import sys
import time
from pathlib import Path

import psycopg

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

PORT = 8078
SECRET = "bench-app-secret"
CONNECTIONS = 64


def payload(index: int, run: str) -> bytes:
    sender = f"51987{index % 500:06d}"
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "8657488886600",
                                "phone_number_id": "106540352242922",
                            },
                            "contacts": [
                                {"profile": {"name": f"Buyer {index % 500}"}, "wa_id": sender}
                            ],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": f"wamid.bench.{run}.{index}",
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {
                                        "body": f"Hola, necesito {1000 + index} paneles LED 600x600 CIF Callao"
                                    },
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(body).encode()


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def request_bytes(index: int, run: str) -> bytes:
    body = payload(index, run)
    head = (
        "POST /hooks/whatsapp/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\n"
        f"X-Hub-Signature-256: {sign(body)}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes) -> int:
    """One request on a keep-alive connection; the response's status."""
    writer.write(data)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in lines if line.lower().startswith(b"content-length:")),
        0,
    )
    if length:
        await reader.readexactly(length)
    return int(lines[0].split()[1])


async def run_load(rate: float, seconds: float) -> tuple[list[float], int, float]:
    """Open loop: request i is due at start + i/rate and its latency counts from then,
    also while it waits for a free connection. The requests are built and signed
    beforehand, and sent over plain keep-alive sockets: an HTTP client library costs
    ~1.5 ms of CPU per request, which on two shared cores would be charged to the
    server."""
    run = str(time.time())
    total = int(rate * seconds)
    requests = [request_bytes(index, run) for index in range(total)]
    latencies: list[float] = []
    failures = 0
    idle: asyncio.Queue = asyncio.Queue()
    for _ in range(CONNECTIONS):
        idle.put_nowait(await asyncio.open_connection("127.0.0.1", PORT))

    async def one(index: int, due: float) -> None:
        nonlocal failures
        reader, writer = await idle.get()
        try:
            status = await exchange(reader, writer, requests[index])
        except (OSError, asyncio.IncompleteReadError):
            failures += 1
            idle.put_nowait(await asyncio.open_connection("127.0.0.1", PORT))
            return
        latencies.append((time.perf_counter() - due) * 1000)
        failures += status != 200
        idle.put_nowait((reader, writer))

    started = time.perf_counter()
    tasks = []
    for index in range(total):
        due = started + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    while not idle.empty():
        idle.get_nowait()[1].close()
    return latencies, failures, total / elapsed


def processing_progress(database_url: str, acknowledged: int) -> str:
    """How far the cluster (at lower priority, on the same cores) got by the end of the
    load: the rest waits in the queue, which is the point of acknowledging first."""
    with psycopg.connect(database_url) as connection:
        recorded, answered = connection.execute(
            "SELECT count(*), count(processed_at) FROM channels_app_message "
            "WHERE direction = 'in' AND provider_message_id LIKE 'wamid.bench.%%'"
        ).fetchone()
    return (
        f"by the end of the load the cluster had recorded {recorded} and answered {answered} "
        f"of the {acknowledged} acknowledged messages (warm-up included); the rest were queued"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--no-cluster", action="store_true")
    args = parser.parse_args()
    base_env, services = service_environment(ROOT / ".data", "portolan")
    env = bench_env(base_env)
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("portolan_bench", "portolan_bench_ingest")
    env["WHATSAPP_APP_SECRET"] = SECRET
    env["WHATSAPP_API_BASE"] = "http://127.0.0.1:9"  # replies are not what is measured here
    children = []
    try:
        fresh_demo_database(env)
        children.append(start_uvicorn(env, PORT, "--timeout-keep-alive", "60"))
        if not args.no_cluster:
            children.append(start_cluster(env))
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        print(machine_summary())
        print(
            f"one uvicorn worker{'' if args.no_cluster else ' + a django-q2 cluster'}; "
            f"offered load {args.rate:.0f} req/s for {args.seconds:.0f} s"
        )
        asyncio.run(run_load(min(args.rate, 50), 2))  # warm up
        latencies, failures, achieved = asyncio.run(run_load(args.rate, args.seconds))
        p = percentiles(latencies)
        print(
            f"sustained {achieved:.0f} req/s, {len(latencies) + failures} requests, {failures} failed; "
            f"ack latency p50={p[50]:.1f} ms p95={p[95]:.1f} ms p99={p[99]:.1f} ms max={max(latencies):.1f} ms"
        )
        if not args.no_cluster:
            print(processing_progress(env["DATABASE_URL"], len(latencies)))
        return 0
    finally:
        stop_all(children)
        if services:
            services.stop()


if __name__ == "__main__":
    sys.exit(main())
