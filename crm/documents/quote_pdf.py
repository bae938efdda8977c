"""A quote as an A4 PDF in the buyer's language.

Plain data in, bytes out: the caller turns its models into a `QuotePdf` with names,
country and payment terms already in the buyer's language; fixed labels come from
Django's catalogs and money, numbers and dates from CLDR (babel). Arabic is shaped
by HarfBuzz and the page is mirrored right-to-left.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from babel.units import format_unit
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, TableCellFillMode
from fpdf.fonts import FontFace

from crm.documents.fonts import ARABIC, CHINESE, LATIN, Typeface, embed_fonts

LOCALES = {
    "en": "en",
    "zh-hans": "zh_Hans_CN",
    "es": "es",
    "pt": "pt",
    "ru": "ru",
    "ar": "ar",
    "fr": "fr",
    "de": "de",
}
RIGHT_TO_LEFT = frozenset({"ar"})
_TYPEFACES: dict[str, tuple[Typeface, ...]] = {
    "zh-hans": (CHINESE, LATIN, ARABIC),
    "ar": (ARABIC, LATIN, CHINESE),
}
_DEFAULT_TYPEFACES = (LATIN, CHINESE, ARABIC)

INK = (33, 37, 41)
MUTED = (100, 106, 115)
ACCENT = (24, 64, 112)
RULE = (200, 205, 212)
HEADING_FILL = (229, 236, 245)
ZEBRA_FILL = (247, 248, 250)

MARGIN = 15  # mm
LINE = 4.6  # mm, body line height at 9 pt
# Line table columns, start edge to end edge; the product name takes what is left.
COLUMN_WIDTHS = (26, 0, 24, 25, 28, 20)


@dataclass(frozen=True)
class Seller:
    name: str
    address: str
    email: str
    phone: str
    website: str


@dataclass(frozen=True)
class PdfLine:
    sku: str
    name: str
    quantity: int
    unit: str
    unit_price: Decimal
    line_total: Decimal
    lead_time_days: int


@dataclass(frozen=True)
class PdfComponent:
    label: str  # already in the buyer's language, e.g. "Ocean freight (2 × 40HQ)"
    amount: Decimal


@dataclass(frozen=True)
class QuotePdf:
    language: str  # one of LOCALES
    seller: Seller
    number: str
    revision: int
    issued_on: date
    valid_until: date
    buyer_company: str
    buyer_contact: str
    buyer_country: str  # already localized
    currency: str
    incoterm: str
    named_place: str
    lines: list[PdfLine]
    subtotal: Decimal
    components: list[PdfComponent]
    total: Decimal
    lead_time_days: int
    payment_terms: str  # already in the buyer's language
    cbm: Decimal
    gross_kg: Decimal
    notes: str = ""


def render_quote_pdf(quote: QuotePdf) -> bytes:
    """The quote as PDF bytes, laid out and labelled in `quote.language`."""
    if quote.language not in LOCALES:
        raise ValueError(f"no PDF layout for language {quote.language!r}")
    with translation.override(quote.language):
        texts = _QuoteTexts.build(quote)
    with tempfile.TemporaryDirectory(prefix="quote-pdf-") as directory:
        document = _QuoteDocument(texts, language=quote.language)
        typefaces = embed_fonts(
            document,
            text=texts.characters(),
            typefaces=_TYPEFACES.get(quote.language, _DEFAULT_TYPEFACES),
            directory=Path(directory),
        )
        document.main_typeface = typefaces[0]
        document.draw()
        return bytes(document.output())


# --- Text -------------------------------------------------------------------------


@dataclass(frozen=True)
class _LineTexts:
    sku: str
    name: str
    quantity: str
    unit_price: str
    line_total: str
    lead_time: str


@dataclass(frozen=True)
class _QuoteTexts:
    """Every string the document shows, localized; fonts are subset to these."""

    seller: Seller
    title: str
    details: list[tuple[str, str]]
    customer_label: str
    buyer: list[str]
    columns: list[str]
    lines: list[_LineTexts]
    totals: list[tuple[str, str]]
    total: tuple[str, str]
    terms_label: str
    terms: list[tuple[str, str]]
    notes_label: str
    notes: str
    page_label: str  # with %(page)s and %(pages)s
    reference: str

    @classmethod
    def build(cls, quote: QuotePdf) -> _QuoteTexts:
        """Translate and format under the active (buyer's) language."""
        locale = LOCALES[quote.language]

        def money(amount: Decimal) -> str:
            text = format_currency(amount, quote.currency, locale=locale)
            if quote.language in RIGHT_TO_LEFT:
                # CLDR's Arabic pattern ends in "US$"; without a left-to-right mark
                # after it the bidi algorithm moves the "$" in front: "$US 9.80".
                text += "\u200e"
            return text

        def number(value: Decimal | int) -> str:
            return format_decimal(value, locale=locale)

        def long_date(value: date) -> str:
            return format_date(value, format="long", locale=locale)

        valid_until = long_date(quote.valid_until)
        revision = _("Revision %(revision)s") % {"revision": quote.revision}
        return cls(
            seller=quote.seller,
            title=_("Quotation"),
            details=[
                (_("Quote no."), quote.number),
                (_("Revision"), number(quote.revision)),
                (_("Date of issue"), long_date(quote.issued_on)),
                (_("Valid until"), valid_until),
            ],
            customer_label=_("Customer").upper(),
            buyer=[quote.buyer_company, quote.buyer_contact, quote.buyer_country],
            columns=[
                _("SKU"),
                _("Product"),
                _("Quantity"),
                _("Unit price"),
                _("Line total"),
                _("Lead time (days)"),
            ],
            lines=[
                _LineTexts(
                    sku=line.sku,
                    name=line.name,
                    quantity=f"{number(line.quantity)} {_unit_label(line.unit)}",
                    unit_price=money(line.unit_price),
                    line_total=money(line.line_total),
                    lead_time=number(line.lead_time_days),
                )
                for line in quote.lines
            ],
            totals=[(_("Subtotal"), money(quote.subtotal))]
            + [(component.label, money(component.amount)) for component in quote.components],
            total=(_("Total"), money(quote.total)),
            terms_label=_("Terms"),
            terms=[
                (_("Incoterm"), f"{quote.incoterm} {quote.named_place}"),
                (_("Payment terms"), quote.payment_terms),
                (_("Lead time"), _days(quote.lead_time_days, locale)),
                (_("Valid until"), valid_until),
                (
                    _("Shipping volume"),
                    format_unit(quote.cbm, "volume-cubic-meter", length="short", locale=locale),
                ),
                (
                    _("Gross weight"),
                    format_unit(quote.gross_kg, "mass-kilogram", length="short", locale=locale),
                ),
            ],
            notes_label=_("Notes"),
            notes=quote.notes,
            page_label=_("Page %(page)s of %(pages)s"),
            reference=f"{quote.number} · {revision}",
        )

    def characters(self) -> str:
        """All text the document can draw, page numbers included."""
        parts: list[str] = [
            *(self.seller.name, self.seller.address, self.seller.email),
            *(self.seller.phone, self.seller.website, self.title, self.customer_label),
            *(text for pair in self.details + self.totals + self.terms for text in pair),
            *self.buyer,
            *self.columns,
            *self.total,
            *(self.terms_label, self.notes_label, self.notes, self.page_label, self.reference),
            "0123456789",
        ]
        for line in self.lines:
            parts += [line.sku, line.name, line.quantity, line.unit_price, line.line_total]
            parts.append(line.lead_time)
        return "".join(parts)


def _unit_label(unit: str) -> str:
    labels = {
        "pcs": pgettext("unit of measure", "pcs"),
        "roll": pgettext("unit of measure", "roll"),
        "set": pgettext("unit of measure", "set"),
        "carton": pgettext("unit of measure", "carton"),
    }
    return labels.get(unit, unit)


def _days(count: int, locale: str) -> str:
    """'25 days' with CLDR's plural forms; babel lacks the long form for a few locales."""
    text = format_unit(count, "duration-day", length="long", locale=locale)
    if "duration-day" in text:
        text = format_unit(count, "duration-day", length="short", locale=locale)
    return text


# --- Layout -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    width: float
    text: str
    align: str = "start"  # or "end"; mirrored for right-to-left
    bold: bool = False
    size: float = 9
    color: tuple[int, int, int] = INK


class _QuoteDocument(FPDF):
    """One quote on A4; positions are computed from the start edge so RTL mirrors."""

    def __init__(self, texts: _QuoteTexts, *, language: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.texts = texts
        self.right_to_left = language in RIGHT_TO_LEFT
        self.main_typeface = LATIN
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=20)
        # Base direction is found per string (first strong character), so a Latin
        # e-mail address keeps its trailing dot in an Arabic page.
        self.set_text_shaping(True)
        self.set_creator("Portolan")
        self.set_title(f"{texts.title} {texts.reference}")
        self.set_lang(language)

    # Helpers

    def _style(self, *, size: float = 9, bold: bool = False, color=INK) -> None:
        self.set_font(self.main_typeface.family, "B" if bold else "", size)
        self.set_text_color(*color)

    def _align(self, align: str) -> Align:
        at_start = (align == "start") != self.right_to_left
        return Align.L if at_start else Align.R

    def _start_x(self, offset: float, width: float) -> float:
        """Left x of a box `offset` mm from the start edge of the text area."""
        if self.right_to_left:
            return self.w - self.r_margin - offset - width
        return self.l_margin + offset

    def _row(self, cells: Sequence[_Cell], *, offset: float = 0, line: float = LINE) -> float:
        """Cells side by side from the start edge, each wrapping; returns the row height."""
        height = max(self._line_count(cell) for cell in cells) * line
        if self.will_page_break(height):
            self.add_page()
        top = self.y
        for cell in cells:
            self._style(size=cell.size, bold=cell.bold, color=cell.color)
            self.set_xy(self._start_x(offset, cell.width), top)
            self.multi_cell(cell.width, line, cell.text, align=self._align(cell.align))
            offset += cell.width
        self.set_xy(self.l_margin, top + height)
        return height

    def _line_count(self, cell: _Cell) -> int:
        self._style(size=cell.size, bold=cell.bold, color=cell.color)
        # Shaping makes fpdf2's line breaking cost one HarfBuzz call per character;
        # most cells fit on one line, which a single width measurement tells.
        if (
            "\n" not in cell.text
            and self.get_string_width(cell.text) <= cell.width - 2 * self.c_margin
        ):
            return 1
        return max(
            len(self.multi_cell(cell.width, LINE, cell.text, dry_run=True, output="LINES")), 1
        )

    def _keep_together(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.will_page_break(height):
            self.add_page()

    def _rule(self, *, color=RULE, width: float = 0.2) -> None:
        self.set_draw_color(*color)
        self.set_line_width(width)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)

    # Page furniture

    def footer(self) -> None:
        self.set_y(-13)
        self._rule()
        self.ln(1.5)
        page = self.texts.page_label % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        half = self.epw / 2
        self._row(
            [
                _Cell(half, self.texts.reference, size=7.5, color=MUTED),
                _Cell(half, page, align="end", size=7.5, color=MUTED),
            ],
            line=3.6,
        )

    # Sections

    def draw(self) -> None:
        self.add_page()
        self._letterhead()
        self._title()
        self._lines()
        self._totals()
        self._terms()
        self._notes()

    def _letterhead(self) -> None:
        seller = self.texts.seller
        self._row([_Cell(self.epw, seller.name, bold=True, size=15, color=ACCENT)], line=7)
        self._row([_Cell(self.epw, seller.address, size=8.5, color=MUTED)], line=4)
        contacts = "   ·   ".join(v for v in (seller.email, seller.phone, seller.website) if v)
        self._row([_Cell(self.epw, contacts, size=8.5, color=MUTED)], line=4)
        self.ln(2.5)
        self._rule(color=ACCENT, width=0.6)
        self.ln(5)

    def _title(self) -> None:
        texts = self.texts
        top = self.y
        self._row([_Cell(100, texts.title, bold=True, size=20, color=ACCENT)], line=9)
        self.ln(3)
        self._row([_Cell(100, texts.customer_label, bold=True, size=7.5, color=MUTED)])
        self._row([_Cell(100, texts.buyer[0], bold=True, size=10.5)], line=5.2)
        for text in texts.buyer[1:]:
            if text:
                self._row([_Cell(100, text)])
        below_buyer = self.y
        # The quote's particulars sit beside the title, against the end edge.
        self.set_y(top + 1)
        for index, (label, value) in enumerate(texts.details):
            self._row(
                [_Cell(32, label, color=MUTED), _Cell(43, value, align="end", bold=index == 0)],
                offset=self.epw - 75,
            )
        self.set_y(max(below_buyer, self.y) + 7)

    def _lines(self) -> None:
        texts = self.texts
        widths = list(COLUMN_WIDTHS)
        widths[1] = self.epw - sum(widths)
        aligns = ["start", "start", "end", "end", "end", "end"]
        order = list(range(len(widths)))
        if self.right_to_left:
            order.reverse()
        self._style(size=8.5)
        with self.table(
            col_widths=[widths[i] for i in order],
            width=self.epw,
            align=Align.C,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_color=ZEBRA_FILL,
            cell_fill_mode=TableCellFillMode.EVEN_ROWS,
            headings_style=FontFace(emphasis="BOLD", color=ACCENT, fill_color=HEADING_FILL),
            line_height=4.2,
            padding=(1.6, 1.6),
            v_align="TOP",
            repeat_headings=1,
        ) as table:
            self.set_draw_color(*RULE)
            self.set_line_width(0.2)
            heading = table.row()
            for i in order:
                heading.cell(texts.columns[i], align=self._align(aligns[i]))
            for line in texts.lines:
                values = [
                    line.sku,
                    line.name,
                    line.quantity,
                    line.unit_price,
                    line.line_total,
                    line.lead_time,
                ]
                row = table.row()
                for i in order:
                    row.cell(values[i], align=self._align(aligns[i]))
        self.ln(4)

    def _totals(self) -> None:
        texts = self.texts
        offset = self.epw - 95
        self._keep_together(len(texts.totals) * 5 + 9)
        for label, amount in texts.totals:
            self._row(
                [_Cell(60, label, color=MUTED), _Cell(35, amount, align="end")],
                offset=offset,
                line=5,
            )
        self.ln(1)
        x = self._start_x(offset, 95)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(x, self.y, x + 95, self.y)
        self.ln(1.5)
        label, amount = texts.total
        self._row(
            [
                _Cell(50, label, bold=True, size=11, color=ACCENT),
                _Cell(45, amount, align="end", bold=True, size=11, color=ACCENT),
            ],
            offset=offset,
            line=6,
        )
        self.ln(6)

    def _terms(self) -> None:
        texts = self.texts
        self._keep_together(6 + 1.5 + 5 * 2)  # the heading with its first lines
        self._row([_Cell(self.epw, texts.terms_label, bold=True, size=10.5, color=ACCENT)], line=6)
        self._rule()
        self.ln(1.5)
        for label, value in texts.terms:
            self._row([_Cell(45, label, color=MUTED), _Cell(self.epw - 45, value)], line=5)
        self.ln(4)

    def _notes(self) -> None:
        texts = self.texts
        if not texts.notes.strip():
            return
        self._keep_together(6 + 1.5 + LINE * 2)
        self._row([_Cell(self.epw, texts.notes_label, bold=True, size=10.5, color=ACCENT)], line=6)
        self._rule()
        self.ln(1.5)
        for paragraph in texts.notes.splitlines():
            self._row([_Cell(self.epw, paragraph)])
