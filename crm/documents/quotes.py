"""A Quote model as the plain data the PDF renderer takes, in the buyer's language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_countries import countries

from ..models import Quote
from ..selectors.pricing import component_label
from .quote_pdf import PdfComponent, PdfLine, QuotePdf, Seller, render_quote_pdf

# The default payment terms, translated into the buyer's language on the document.
DEFAULT_PAYMENT_TERMS = gettext_noop("30% T/T deposit, balance against B/L copy")


SELLER_FIELDS = ("name", "address", "email", "phone", "website")


def quote_pdf_data(quote: Quote) -> QuotePdf:
    seller = settings.PORTOLAN_SELLER
    with translation.override(quote.language):
        destination = quote.destination_country.code or ""
        return QuotePdf(
            language=quote.language,
            seller=Seller(**{key: seller[key] for key in SELLER_FIELDS}),
            number=quote.number,
            revision=quote.revision,
            issued_on=quote.issued_on,
            valid_until=quote.valid_until,
            buyer_company=quote.company.legal_name,
            buyer_contact=quote.contact.name if quote.contact else "",
            buyer_country=str(countries.name(quote.company.country.code)),
            currency=quote.currency,
            incoterm=quote.incoterm,
            named_place=quote.named_place
            or (str(countries.name(destination)) if destination else ""),
            lines=[
                PdfLine(
                    sku=line.sku,
                    name=line.description,
                    quantity=line.quantity,
                    unit=line.unit,
                    unit_price=line.unit_price,
                    line_total=line.line_total,
                    lead_time_days=line.lead_time_days,
                )
                for line in quote.lines.order_by("position")
            ],
            subtotal=quote.subtotal,
            components=[
                PdfComponent(
                    label=component_label(c.kind, c.detail, destination_country=destination),
                    amount=c.amount,
                )
                for c in quote.components.order_by("position")
            ],
            total=quote.total,
            lead_time_days=quote.lead_time_days,
            payment_terms=_(quote.payment_terms),
            cbm=quote.cbm,
            gross_kg=quote.gross_kg,
            notes=quote.notes,
        )


def quote_pdf_render(*, quote: Quote) -> bytes:
    """The quote as a PDF in the buyer's language."""
    return render_quote_pdf(quote_pdf_data(quote))
