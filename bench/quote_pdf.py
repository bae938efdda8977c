"""Quote PDF rendering time per language, no database.

Builds `QuotePdf` objects from the reference catalog (product names in each of the
eight languages) and times `render_quote_pdf` in this process after one warm-up
render per language.

    .venv/bin/python bench/quote_pdf.py [--lines 5] [--runs 60] [--out DIR] [--gc-freeze]

`--out DIR` also writes one PDF per language there, for looking at. The slowest
renders are the ones a full garbage collection of the process lands in (about 50 ms
here); `--gc-freeze` calls `gc.freeze()` after start-up, as a server may, to show
the time without them.
"""

import argparse
import gc
import json
import os
import sys
import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from babel import Locale  # noqa: E402
from common import machine_summary, percentiles  # noqa: E402

from crm.documents.quote_pdf import (  # noqa: E402
    LOCALES,
    PdfComponent,
    PdfLine,
    QuotePdf,
    Seller,
    render_quote_pdf,
)

CATALOG = json.loads((ROOT / "crm/fixtures/reference/catalog.json").read_text("utf-8"))
CATALOG_LANGUAGE = {"zh-hans": "zh"}

# What a caller would pass already translated.
PAYMENT_TERMS = {
    "en": "30% deposit by T/T, 70% against copy of B/L",
    "zh-hans": "30%电汇定金，70%见提单副本付清",
    "es": "30 % de anticipo por T/T, 70 % contra copia del B/L",
    "pt": "30% de sinal por T/T, 70% contra cópia do B/L",
    "ru": "30% предоплата T/T, 70% против копии коносамента",
    "ar": "دفعة مقدمة 30% بالتحويل البنكي، و70% مقابل نسخة من بوليصة الشحن",
    "fr": "30 % d'acompte par T/T, 70 % contre copie du B/L",
    "de": "30 % Anzahlung per T/T, 70 % gegen Kopie des B/L",
}
FREIGHT = {
    "en": "Ocean freight (1 × 40HQ)",
    "zh-hans": "海运费（1 × 40HQ）",
    "es": "Flete marítimo (1 × 40HQ)",
    "pt": "Frete marítimo (1 × 40HQ)",
    "ru": "Морской фрахт (1 × 40HQ)",
    "ar": "الشحن البحري (1 × 40HQ)",
    "fr": "Fret maritime (1 × 40HQ)",
    "de": "Seefracht (1 × 40HQ)",
}
INSURANCE = {
    "en": "Cargo insurance",
    "zh-hans": "货物保险",
    "es": "Seguro de carga",
    "pt": "Seguro de carga",
    "ru": "Страхование груза",
    "ar": "تأمين البضائع",
    "fr": "Assurance marchandises",
    "de": "Transportversicherung",
}
PORTS = {
    "PE": "Callao",
    "BR": "Santos",
    "DE": "Hamburg",
    "AE": "Jebel Ali",
    "RU": "Vladivostok",
    "FR": "Le Havre",
    "SG": "Singapore",
    "US": "Long Beach",
}


def build_quote(language: str, *, line_count: int = 5, names: dict[str, str] | None = None):
    """A quote to a catalog customer who speaks `language`, with catalog products."""
    catalog_language = CATALOG_LANGUAGE.get(language, language)
    customer = next(c for c in CATALOG["customers"] if c["contact"]["language"] == catalog_language)
    products = CATALOG["products"]
    lines = []
    for index in range(line_count):
        product = products[index % len(products)]
        quantity = product["moq"] * (1 + index % 3)
        price = Decimal(product["price_breaks"][0][1])
        lead = product["base_lead_days"] + -(-quantity // product["daily_capacity"])
        name = (names or {}).get(product["sku"]) or product["name"][catalog_language]
        lines.append(
            PdfLine(
                sku=product["sku"],
                name=name,
                quantity=quantity,
                unit=product["unit"],
                unit_price=price,
                line_total=price * quantity,
                lead_time_days=lead,
            )
        )
    subtotal = sum((line.line_total for line in lines), Decimal("0"))
    components = [
        PdfComponent(FREIGHT[language], Decimal("3850.00")),
        PdfComponent(
            INSURANCE[language],
            (subtotal * Decimal("0.0011")).quantize(Decimal("0.01"), ROUND_HALF_UP),
        ),
    ]
    seller = CATALOG["seller"]
    return QuotePdf(
        language=language,
        seller=Seller(
            name=seller["name"],
            address="No. 88 Jinhai Road, Beilun District, Ningbo, Zhejiang 315800, China",
            email="sales@brightway-lighting.com",
            phone="+86 574 8688 1234",
            website="www.brightway-lighting.com",
        ),
        number="Q-2026-0007",
        revision=2,
        issued_on=date(2026, 3, 7),
        valid_until=date(2026, 4, 6),
        buyer_company=customer["company"],
        buyer_contact=customer["contact"]["name"],
        buyer_country=Locale.parse(LOCALES[language]).territories[customer["country"]],
        currency="USD",
        incoterm="CIF",
        named_place=PORTS[customer["country"]],
        lines=lines,
        subtotal=subtotal,
        components=components,
        total=subtotal + sum((c.amount for c in components), Decimal("0")),
        lead_time_days=max(line.lead_time_days for line in lines),
        payment_terms=PAYMENT_TERMS[language],
        cbm=Decimal("58.320"),
        gross_kg=Decimal("9870.5"),
        notes="Prices include export cartons and CE/RoHS documentation.",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--gc-freeze", action="store_true")
    args = parser.parse_args()
    if args.gc_freeze:
        gc.collect()
        gc.freeze()

    print(machine_summary())
    print(
        f"render_quote_pdf, {args.lines}-line quote, {args.runs} runs per language"
        + (", gc.freeze() after start-up" if args.gc_freeze else "")
    )
    for language in LOCALES:
        quote = build_quote(language, line_count=args.lines)
        started = time.perf_counter()
        pdf = render_quote_pdf(quote)
        first = (time.perf_counter() - started) * 1000
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"quote-{language}.pdf").write_bytes(pdf)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            render_quote_pdf(quote)
            timings.append((time.perf_counter() - started) * 1000)
        cuts = percentiles(timings)
        print(
            f"{language:8} p50 {cuts[50]:6.1f} ms  p95 {cuts[95]:6.1f} ms"
            f"  (first {first:6.1f} ms, {len(pdf) / 1024:5.1f} KiB)"
        )


if __name__ == "__main__":
    main()
