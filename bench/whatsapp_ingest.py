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

import httpx

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


async def run_load(rate: float, seconds: float) -> tuple[list[float], int, float]:
    run = str(int(time.time()))
    total = int(rate * seconds)
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{PORT}", timeout=30, limits=limits
    ) as client:

        async def one(index: int) -> None:
            nonlocal failures
            body = payload(index, run)
            started = time.perf_counter()
            try:
                response = await client.post(
                    "/hooks/whatsapp/",
                    content=body,
                    headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)},
                )
            except httpx.TransportError:
                failures += 1
                return
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                failures += 1

        started = time.perf_counter()
        tasks = []
        for index in range(total):
            due = started + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(index)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return latencies, failures, total / elapsed


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
        return 0
    finally:
        stop_all(children)
        if services:
            services.stop()


if __name__ == "__main__":
    sys.exit(main())
