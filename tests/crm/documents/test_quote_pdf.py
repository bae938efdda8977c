"""Quote PDFs in the eight buyer languages, read back through the PDF's text layer."""

import json
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from babel import Locale
from django.conf import settings
from pypdf import PdfReader

from crm.documents.quote_pdf import (
    COLUMN_WIDTHS,
    LOCALES,
    MARGIN,
    PdfComponent,
    PdfLine,
    QuotePdf,
    Seller,
    render_quote_pdf,
)

CATALOG = json.loads(settings.PORTOLAN_REFERENCE_CATALOG.read_text("utf-8"))
PRODUCTS = CATALOG["products"]
LANGUAGES = list(LOCALES)
MM = 72 / 25.4
A4_WIDTH = 210 * MM

TOTAL = Decimal("17910.45")
# As babel formats it for each locale. Arabic lines come back in the order they are
# drawn (right to left), so the amount reads before "US$" there.
TOTAL_TEXT = {
    "en": "$17,910.45",
    "zh-hans": "US$17,910.45",
    "es": "17.910,45 US$",
    "pt": "US$ 17.910,45",
    "ru": "17 910,45 $",
    "ar": "US$ 17,910.45",
    "fr": "17 910,45 $US",
    "de": "17.910,45 $",
}
LONG_NAMES = {
    "en": (
        "Heavy-duty IP66 explosion-proof LED high bay luminaire with five-year warranty,"
        " Meanwell driver, 150 lm/W, 90° PC lens, 1.5 m cable and mounting bracket,"
        " ATEX Zone 1/21 certified for petrochemical warehouses and offshore platforms"
    ),
    "zh-hans": (
        "防爆型IP66大功率LED工矿灯配明纬驱动电源光效每瓦一百五十流明九十度透镜"
        "一点五米电缆及安装支架适用于石化仓库及海上平台的防爆一区二十一区认证产品质保五年"
    ),
    "ar": (
        "كشاف LED صناعي مقاوم للانفجار بدرجة حماية IP66 مع مشغل Meanwell وكفاءة 150 لومن"
        " لكل واط وعدسة بزاوية 90 درجة وكابل بطول 1.5 متر وحامل تثبيت، معتمد وفق ATEX"
        " للمنطقة 1/21 لمستودعات البتروكيماويات والمنصات البحرية"
    ),
}


def product_name(product: dict, language: str) -> str:
    return product["name"]["zh" if language == "zh-hans" else language]


def make_quote(language: str, *, line_count: int = len(PRODUCTS), names=None) -> QuotePdf:
    lines = []
    for index in range(line_count):
        product = PRODUCTS[index % len(PRODUCTS)]
        price = Decimal(product["price_breaks"][0][1])
        lines.append(
            PdfLine(
                sku=product["sku"],
                name=(names or {}).get(product["sku"], product_name(product, language)),
                quantity=product["moq"],
                unit=product["unit"],
                unit_price=price,
                line_total=price * product["moq"],
                lead_time_days=product["base_lead_days"] + 1,
            )
        )
    return QuotePdf(
        language=language,
        seller=Seller(
            name=CATALOG["seller"]["name"],
            address="No. 88 Jinhai Road, Beilun District, Ningbo 315800, China",
            email="sales@brightway-lighting.com",
            phone="+86 574 8688 1234",
            website="www.brightway-lighting.com",
        ),
        number="Q-2026-0007",
        revision=2,
        issued_on=date(2026, 3, 7),
        valid_until=date(2026, 4, 6),
        buyer_company="Al Noor Trading LLC",
        buyer_contact="Omar Haddad",
        buyer_country=Locale.parse(LOCALES[language]).territories["AE"],
        currency="USD",
        incoterm="CIF",
        named_place="Jebel Ali",
        lines=lines,
        subtotal=Decimal("14045.00"),
        components=[PdfComponent("40HQ", Decimal("3850.00")), PdfComponent("+", Decimal("15.45"))],
        total=TOTAL,
        lead_time_days=21,
        payment_terms="T/T 30/70",
        cbm=Decimal("58.32"),
        gross_kg=Decimal("9870.5"),
        notes="CE/RoHS",
    )


def normalize(text: str) -> str:
    """NFKC (no-break spaces, presentation forms), no bidi marks, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u200e\u200f\u061c\u2066-\u2069]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """Without any whitespace: table cells wrap names across lines."""
    return re.sub(r"\s+", "", normalize(text))


def page_texts(pdf: bytes) -> list[str]:
    return [normalize(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


def fragments(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run drawn on the page, in PDF points."""
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((tm[4] + cm[4], tm[5] + cm[5], text))

    page.extract_text(visitor_text=visit)
    return found


def fonts_by_name(pdf: bytes) -> dict[str, dict[str, str]]:
    """BaseFont (without subset tag) -> {glyph code: text} from its ToUnicode map."""
    fonts = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            mapping = fonts.setdefault(name, {})
            for code, target in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap):
                mapping[code] = "".join(
                    chr(int(target[i : i + 4], 16)) for i in range(0, len(target), 4)
                )
    return fonts


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_names_and_total_are_in_the_text_layer(language, caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = render_quote_pdf(make_quote(language))

    text = " ".join(page_texts(pdf))
    for product in PRODUCTS:
        name = normalize(product_name(product, language))
        if language == "ar":
            # Lines mixing Arabic with Latin words and numbers come back in the order
            # they are drawn, not in reading order; each word keeps its letters' order.
            for word in name.split():
                assert word in text, (product["sku"], word)
        else:
            assert squash(name) in squash(text), product["sku"]
    assert TOTAL_TEXT[language] in text
    assert not [r for r in caplog.records if "missing" in r.getMessage()]


def test_chinese_quote_embeds_a_cjk_font_with_the_product_glyphs():
    pdf = render_quote_pdf(make_quote("zh-hans"))

    reader = PdfReader(BytesIO(pdf))
    descendants = [
        font.get_object()["/DescendantFonts"][0].get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    ]
    chinese = [f for f in descendants if "NotoSansSC" in str(f["/BaseFont"])]
    assert chinese
    assert all("/FontFile2" in f["/FontDescriptor"] for f in chinese)
    drawn = set("".join(fonts_by_name(pdf)["NotoSansSC"].values()))
    hanzi = {c for p in PRODUCTS for c in p["name"]["zh"] if "\u4e00" <= c <= "\u9fff"}
    assert hanzi <= drawn


def test_arabic_is_drawn_in_the_arabic_font_and_shaped():
    pdf = render_quote_pdf(make_quote("ar"))

    glyphs = fonts_by_name(pdf)["IBMPlexSansArabic"]
    drawn = set("".join(glyphs.values()))
    letters = {c for p in PRODUCTS for c in p["name"]["ar"] if "\u0621" <= c <= "\u064a"}
    assert letters <= drawn
    # Shaped text uses a different glyph for a letter at the start, middle or end of a
    # word, and joins lam and alef into one; unshaped text has one glyph per letter.
    forms = defaultdict(set)
    for code, chars in glyphs.items():
        if len(chars) == 1:
            forms[chars].add(code)
    assert all(len(forms[letter]) >= 3 for letter in "لمين")
    assert any(
        chars[0] == "ل" and chars[1] in "اأإآ" for chars in glyphs.values() if len(chars) == 2
    )


def test_arabic_table_runs_right_to_left():
    def x_of(pdf: bytes, needle: str) -> float:
        page = PdfReader(BytesIO(pdf)).pages[0]
        return next(x for x, _, text in fragments(page) if needle in text)

    english = render_quote_pdf(make_quote("en", line_count=1))
    arabic = render_quote_pdf(make_quote("ar", line_count=1))

    assert x_of(english, "LP-6060-40") < A4_WIDTH / 3
    assert x_of(arabic, "LP-6060-40") > A4_WIDTH * 2 / 3


@pytest.mark.parametrize("language", ["en", "zh-hans", "ar"])
def test_long_product_name_wraps_inside_its_column(language):
    names = {"HB-UFO-150": LONG_NAMES[language]}
    pdf = render_quote_pdf(make_quote(language, line_count=3, names=names))

    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    drawn = fragments(reader.pages[0])
    assert all(MARGIN * MM - 1 <= x <= A4_WIDTH - MARGIN * MM for x, _, _ in drawn)
    # The row runs from its SKU down to the next product's SKU.
    row_top = next(y for _, y, text in drawn if "HB-UFO-150" in text)
    row_end = next(y for _, y, text in drawn if "SL-AIO-100" in text)
    left = MARGIN + COLUMN_WIDTHS[0]
    right = 210 - MARGIN - sum(COLUMN_WIDTHS[2:])
    if language == "ar":
        left, right = 210 - right, 210 - left
    in_column = [(x, y) for x, y, _ in drawn if row_end < y <= row_top + 1 and left * MM < x]
    in_column = [(x, y) for x, y in in_column if x < right * MM]
    assert len({round(y) for _, y in in_column}) >= 4


def test_sixty_lines_span_pages_with_numbers_and_repeated_headings():
    pdf = render_quote_pdf(make_quote("en", line_count=60))

    pages = page_texts(pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "SKU" in text and "Unit price" in text
    assert TOTAL_TEXT["en"] in pages[-1]


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="ja"):
        render_quote_pdf(replace(make_quote("en"), language="ja"))
