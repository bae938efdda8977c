"""Pricing previews per second, in-process, for a 5-line CIF quote.

    .venv/bin/python bench/pricing_preview.py [--seconds 5]

Runs against the demo data in the database of DATABASE_URL (or the embedded one),
calling the same `pricing_preview` the API, the quote builder and the assistant use.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine_summary, percentiles  # noqa: E402

from scripts.launcher import service_environment  # noqa: E402

ITEMS = [
    {"sku": "LP-6060-40", "quantity": 2400},
    {"sku": "HB-UFO-150", "quantity": 300},
    {"sku": "FL-200", "quantity": 450},
    {"sku": "DL-6-12", "quantity": 5000},
    {"sku": "T8-120-18", "quantity": 12000},
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    env, services = service_environment(ROOT / ".data", "portolan")
    os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL", "REDIS_URL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["DEBUG"] = "False"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("demo_data", verbosity=0)
        from crm.models import Company
        from crm.selectors.pricing import pricing_preview

        company = Company.objects.get(legal_name="Iluminación Andina S.A.C.")

        def once():
            return pricing_preview(
                items=ITEMS,
                company=company,
                incoterm="CIF",
                currency="USD",
                destination_country="PE",
            )

        result = once()
        print(machine_summary())
        print(
            f"5-line CIF quote: total {result.total} {result.currency}, {len(result.components)} components"
        )
        for _ in range(200):
            once()
        timings = []
        deadline = time.perf_counter() + args.seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            once()
            timings.append((time.perf_counter() - started) * 1000)
        p = percentiles(timings)
        rate = len(timings) / (sum(timings) / 1000)
        print(
            f"pricing previews: {rate:,.0f}/s in one thread  (n={len(timings)}, "
            f"p50={p[50]:.3f} ms, p95={p[95]:.3f} ms, p99={p[99]:.3f} ms)"
        )
        return 0
    finally:
        if services:
            services.stop()


if __name__ == "__main__":
    sys.exit(main())
