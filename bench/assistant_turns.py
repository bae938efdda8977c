"""Latency of a whole assistant turn in-process over the dev cases, and the resident
memory of a worker with the assistant loaded.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/assistant_turns.py [--rounds 3]

A turn is what a django-q worker runs per message: understand, rebuild the dialogue
state, decide and act through crm.services (pricing, quotes, tasks, deals), word the
reply with the template generator and write back interactions, profile facts and the
quality record. Each case runs inside a transaction that is rolled back, as in
`assistant_eval`. Needs the demo data in the database (`manage.py demo_data`).
"""

import argparse
import gc
import json
import os
import sys
import time
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
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.db import transaction

    from assistant.management.commands import assistant_eval
    from assistant.management.commands.assistant_eval import evaluate_case
    from assistant.models import AssistantTurn
    from assistant.understanding import warm_up

    warm_up()
    gc.collect()
    gc.freeze()  # as a worker does once the models are loaded (channels_app/worker.py)
    cases = [json.loads(line) for line in args.cases.read_text().splitlines() if line.strip()]
    # one untimed pass: the pricing snapshot, the knowledge index, babel's locale data
    for number, case in enumerate(cases, 1):
        with transaction.atomic():
            evaluate_case(case, number=number)
            transaction.set_rollback(True)
    timings: list[float] = []
    handle = assistant_eval.conversation_turn_handle

    by_action: dict[str, list[float]] = {}

    def timed(**kwargs):
        # only the turn: the evaluation's own set-up (creating prospects for unknown
        # senders) is not part of what a worker does per message
        began = time.perf_counter()
        result = handle(**kwargs)
        elapsed = (time.perf_counter() - began) * 1000
        timings.append(elapsed)
        by_action.setdefault(result.actions[0].split(":")[0], []).append(elapsed)
        return result

    assistant_eval.conversation_turn_handle = timed
    actions: dict[str, int] = {}
    for _round in range(args.rounds):
        for number, case in enumerate(cases, 1):
            with transaction.atomic():
                evaluate_case(case, number=number)
                if _round == 0:
                    action = (
                        AssistantTurn.objects.order_by("-id")
                        .values_list("action", flat=True)
                        .first()
                    )
                    key = (action or "?").split(":")[0]
                    actions[key] = actions.get(key, 0) + 1
                transaction.set_rollback(True)
    cuts = percentiles(timings)
    print(machine_summary())
    print(f"cases: {len(cases)} x {args.rounds} rounds = {len(timings)} turns (template generator)")
    print(
        f"turn latency ms: p50 {cuts[50]:.1f}  p95 {cuts[95]:.1f}  p99 {cuts[99]:.1f}  max {max(timings):.1f}"
    )
    print(f"worker RSS with the assistant loaded and warm: {rss_mb():.0f} MB")
    print("actions:", ", ".join(f"{name} {count}" for name, count in sorted(actions.items())))
    print(
        "p95 by action (ms):",
        ", ".join(
            f"{name} {percentiles(values)[95]:.0f}" for name, values in sorted(by_action.items())
        ),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
