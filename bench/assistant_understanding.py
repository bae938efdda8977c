"""Latency of understand() over the dev cases, and a worker's memory with it loaded.

    .venv/bin/python bench/assistant_understanding.py [--rounds 5] [--cases ../shared/reference/dev.jsonl]

Loads Django and the modules a worker imports (channels, assistant, CRM, API), reports
the RSS, warms the understanding layer up (lingua's models, the intent model, the
gazetteer), reports the RSS again, then times every case `--rounds` times.
No database is needed: understand() never touches it.
"""

import argparse
import gc
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine_summary, percentiles  # noqa: E402

DEFAULT_CASES = ROOT.parent / "shared" / "reference" / "dev.jsonl"


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DATABASE_URL", "postgres://bench@127.0.0.1:5432/unused")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    start = rss_mb()
    import django

    django.setup()
    import haystack  # noqa: F401  - the assistant's retrieval stage

    import assistant.services  # noqa: F401
    import channels_app.services.messaging  # noqa: F401
    import crm.api  # noqa: F401
    import crm.services.quotes  # noqa: F401

    worker = rss_mb()

    from assistant.understanding import understand, warm_up

    began = time.perf_counter()
    warm_up()
    warm_seconds = time.perf_counter() - began
    loaded = rss_mb()

    cases = [
        json.loads(line)
        for line in args.cases.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    prepared = [
        (
            case["text"],
            datetime.fromisoformat(case["now"]) if case.get("now") else datetime.now(UTC),
        )
        for case in cases
    ]
    for text, now in prepared:  # warm-up pass: caches, lazily compiled patterns
        understand(text, now=now)
    gc.collect()
    timings: list[float] = []
    for _ in range(args.rounds):
        for text, now in prepared:
            began = time.perf_counter()
            understand(text, now=now)
            timings.append((time.perf_counter() - began) * 1000)
    after = rss_mb()
    cuts = percentiles(timings)

    print(machine_summary())
    print(f"cases: {len(cases)} from {args.cases.name}, {args.rounds} rounds, {len(timings)} calls")
    print(
        f"understand(): p50 {cuts[50]:.2f} ms, p95 {cuts[95]:.2f} ms, p99 {cuts[99]:.2f} ms, max {max(timings):.2f} ms"
    )
    print(f"warm-up (lingua models, intent model, gazetteer): {warm_seconds:.2f} s")
    print(
        f"RSS: interpreter {start:.0f} MB, worker modules {worker:.0f} MB, "
        f"with understanding loaded {loaded:.0f} MB (+{loaded - worker:.0f} MB), after the run {after:.0f} MB"
    )
    print(f"scikit-learn loaded at run time: {'sklearn' in sys.modules}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
