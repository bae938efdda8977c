"""The quote and order pages: the builder and its live price preview, the quote page
and its actions, orders with their timeline, payments and history, and visibility."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import (
    Company,
    Deal,
    Interaction,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    Product,
    Quote,
    QuoteStatus,
)
from crm.services.orders import order_deposit_due
from crm.services.quotes import quote_accept, quote_create, quote_send

pytestmark = pytest.mark.django_db

PANEL = "LP-6060-40"


def product_id(sku: str) -> str:
    return str(Product.objects.get(sku=sku).pk)


def builder_data(buyer: Company, lines, **terms) -> dict:
    """A posted builder: terms plus one row per (sku, quantity)."""
    data = {
        "company": str(buyer.pk),
        "incoterm": "FOB",
        "named_place": "",
        "destination_country": buyer.country.code,
        "currency": "USD",
        "payment_terms": "30% T/T deposit, balance against B/L copy",
        "validity_days": "30",
        "notes": "",
        "item_key": [f"r{index}" for index in range(len(lines))],
        "item_product": [product_id(sku) if sku else "" for sku, _quantity in lines],
        "item_quantity": [str(quantity) for _sku, quantity in lines],
    }
    data.update(terms)
    return data


def written() -> tuple[int, int, int, int]:
    return (
        Quote.objects.count(),
        Deal.objects.count(),
        Interaction.objects.count(),
        Order.objects.count(),
    )


def row_errors(html: str, key: str) -> str:
    """The text of one row's error box in a preview response."""
    match = re.search(rf'<div id="item-{key}-errors"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error box for row {key}"
    return match.group(1)


def slot(html: str, name: str) -> str:
    match = re.search(rf'<div id="quote-error-{name}"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error box for {name}"
    return match.group(1)


@pytest.fixture
def pacific(company):
    return company("Pacific Home Supply")


@pytest.fixture
def draft(demo_users, company):
    """A draft quote of rep1's for Pacific Home Supply (gold tier)."""
    return quote_create(
        user=demo_users["rep1"],
        company=company("Pacific Home Supply"),
        items=[{"sku": PANEL, "quantity": 600}],
        incoterm="FOB",
        named_place="Ningbo",
    )


# --- Builder and preview --------------------------------------------------------------


def test_builder_prefills_the_company_terms(rep1_client, pacific):
    response = rep1_client.get(reverse("crm:quote_create"), {"company": pacific.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["company"] == pacific.pk
    assert form.initial["destination_country"] == "US"
    assert form.initial["currency"] == pacific.default_currency
    assert form.initial["payment_terms"] == "30% T/T deposit, balance against B/L copy"
    assert form.initial["validity_days"] == 30
    html = response.content.decode()
    assert "Emily Carter" in html  # the company's contact is offered
    assert len(response.context["rows"].rows) == 1
    for term in ("EXW", "FCA", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DDP"):
        assert f'value="{term}"' in html
    assert f"{PANEL} — LED Panel Light 600x600 40W" in html


def test_builder_from_a_deal_preselects_its_company_and_deal(rep1_client, deal_of):
    deal = deal_of("Volt")
    response = rep1_client.get(reverse("crm:quote_create"), {"deal": deal.pk})
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert (initial["company"], initial["deal"]) == (deal.company_id, deal.pk)
    assert initial["destination_country"] == "DE"


def test_builder_for_another_teams_company_is_404(rep1_client, company):
    url = reverse("crm:quote_create")
    assert rep1_client.get(url, {"company": company("SibSvet").pk}).status_code == 404


def test_preview_prices_the_lines_for_the_company_tier_and_writes_nothing(rep1_client, pacific):
    before = written()
    response = rep1_client.post(
        reverse("crm:quote_preview"), builder_data(pacific, [(PANEL, 600)]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "$8.46" in html  # gold tier price of the 500+ break
    assert "$5,076.00" in html
    assert "LED Panel Light 600x600 40W" in html
    result = response.context["preview"].result
    assert result.total == result.subtotal
    assert written() == before


def test_preview_lists_cif_components_with_their_labels(rep1_client, pacific):
    data = builder_data(pacific, [(PANEL, 600)], incoterm="CIF")
    response = rep1_client.post(reverse("crm:quote_preview"), data, HTTP_HX_REQUEST="true")
    result = response.context["preview"].result
    assert {component.kind for component in result.components} == {"freight", "insurance"}
    html = response.content.decode()
    assert "Ocean freight to United States" in html
    assert "Cargo insurance" in html
    assert "Total CIF" in html


def test_preview_puts_the_moq_error_on_its_row(rep1_client, pacific):
    data = builder_data(pacific, [("DL-6-12", 1000), (PANEL, 10)])
    response = rep1_client.post(reverse("crm:quote_preview"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    moq = Product.objects.get(sku=PANEL).moq
    assert f"minimum order quantity of {moq}" in row_errors(html, "r1")
    assert row_errors(html, "r0").strip() == ""
    assert 'hx-swap-oob="innerHTML"' in html


def test_preview_leaves_a_half_filled_line_unpriced_without_an_error(rep1_client, pacific):
    data = builder_data(pacific, [(PANEL, 600), ("DL-6-12", "")])
    response = rep1_client.post(reverse("crm:quote_preview"), data, HTTP_HX_REQUEST="true")
    assert [line.sku for line in response.context["preview"].result.lines] == [PANEL]
    assert row_errors(response.content.decode(), "r1").strip() == ""


def test_preview_asks_for_a_destination_for_cif(rep1_client, pacific):
    before = written()
    data = builder_data(pacific, [(PANEL, 600)], incoterm="CIF", destination_country="")
    response = rep1_client.post(reverse("crm:quote_preview"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "CIF needs a destination country." in slot(html, "destination_country")
    assert response.context["preview"].result is None
    assert written() == before


def test_preview_without_a_company_says_what_is_missing(rep1_client, pacific):
    data = builder_data(pacific, [(PANEL, 600)], company="")
    response = rep1_client.post(reverse("crm:quote_preview"), data, HTTP_HX_REQUEST="true")
    assert "Choose a company to see its prices." in response.content.decode()


def test_preview_never_prices_for_a_company_the_user_may_not_see(rep1_client, company):
    sibsvet = company("SibSvet")
    data = builder_data(sibsvet, [(PANEL, 600)])
    response = rep1_client.post(reverse("crm:quote_preview"), data, HTTP_HX_REQUEST="true")
    assert response.context["preview"].result is None
    assert "Select a valid choice" in slot(response.content.decode(), "company")


def test_company_terms_offer_that_companys_contacts_and_defaults(rep1_client, company):
    volt = company("Volt")
    response = rep1_client.get(
        reverse("crm:quote_company_terms"), {"company": volt.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Jonas Weber" in html and "Emily Carter" not in html
    assert '<option value="DE" selected>' in html
    assert "quote-changed" in response.headers["HX-Trigger-After-Settle"]


def test_creating_a_quote_through_the_builder(rep1_client, demo_users, pacific):
    contact = pacific.contacts.get()
    data = builder_data(
        pacific,
        [(PANEL, 600), ("DL-6-12", 1000)],
        contact=str(contact.pk),
        incoterm="CIF",
        named_place="Los Angeles",
        validity_days="45",
        notes="Mixed container possible.",
    )
    response = rep1_client.post(reverse("crm:quote_create"), data)
    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("crm:quote_detail", args=[quote.pk])
    assert quote.company == pacific and quote.contact == contact
    assert quote.status == QuoteStatus.DRAFT and quote.created_by == demo_users["rep1"]
    assert [(line.sku, line.quantity) for line in quote.lines.all()] == [
        (PANEL, 600),
        ("DL-6-12", 1000),
    ]
    assert quote.incoterm == "CIF" and quote.named_place == "Los Angeles"
    assert quote.valid_until - quote.issued_on == timedelta(days=45)
    page = rep1_client.get(response.url).content.decode()
    assert f"Quote {quote.number} created as a draft" in page
    assert "$5,076.00" in page


def test_builder_errors_stay_on_the_page_and_nothing_is_written(rep1_client, pacific):
    before = written()
    data = builder_data(
        pacific, [(PANEL, 10)], incoterm="DDP", destination_country="", validity_days="400"
    )
    response = rep1_client.post(reverse("crm:quote_create"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "DDP needs a destination country." in html
    assert "minimum order quantity" in row_errors(html, "r0")
    assert "less than or equal to 365" in slot(html, "validity_days")
    assert written() == before


def test_a_row_without_quantity_is_marked_on_that_row(rep1_client, pacific):
    data = builder_data(pacific, [(PANEL, 600), ("DL-6-12", "")])
    response = rep1_client.post(reverse("crm:quote_create"), data)
    assert response.status_code == 422
    assert "Enter a quantity." in row_errors(response.content.decode(), "r1")
    assert not Quote.objects.exists()


def test_service_errors_are_shown_on_their_fields(rep1_client, pacific, company):
    other_deal = Deal.objects.filter(company=company("Volt")).first()
    data = builder_data(pacific, [(PANEL, 600)], deal=str(other_deal.pk))
    response = rep1_client.post(reverse("crm:quote_create"), data)
    assert response.status_code == 422
    assert "Select a valid choice" in slot(response.content.decode(), "deal")
    assert not Quote.objects.exists()


def test_add_and_remove_line_without_scripts(rep1_client, pacific):
    data = builder_data(pacific, [(PANEL, 600)], add_line="1")
    response = rep1_client.post(reverse("crm:quote_create"), data)
    assert response.status_code == 200
    assert [row.key for row in response.context["rows"].rows] == ["r0", "r1"]
    assert not Quote.objects.exists()
    data = builder_data(pacific, [(PANEL, 600), ("DL-6-12", 1000)], remove_line="r0")
    response = rep1_client.post(reverse("crm:quote_create"), data)
    assert [row.product for row in response.context["rows"].rows] == [product_id("DL-6-12")]


def test_builder_refuses_more_than_twenty_lines(rep1_client, pacific):
    skus = list(Product.objects.values_list("sku", flat=True))
    lines = [(skus[index % len(skus)], 1000) for index in range(21)]
    response = rep1_client.post(reverse("crm:quote_create"), builder_data(pacific, lines))
    assert response.status_code == 422
    assert "A quote has at most 20 lines." in slot(response.content.decode(), "items")
    assert not Quote.objects.exists()


def test_buyer_notes_are_escaped(rep1_client, demo_users, pacific):
    quote = quote_create(
        user=demo_users["rep1"],
        company=pacific,
        items=[{"sku": PANEL, "quantity": 600}],
        notes="<script>alert('x')</script> please",
    )
    html = rep1_client.get(reverse("crm:quote_detail", args=[quote.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; please" in html


# --- Quote pages ----------------------------------------------------------------------


def test_quote_list_shows_visible_quotes_with_filters(rep1_client, draft):
    url = reverse("crm:quote_list")
    response = rep1_client.get(url)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [draft]
    html = response.content.decode()
    assert draft.number in html and "Pacific Home Supply Inc." in html
    assert "$5,076.00" in html and "Draft" in html
    assert list(rep1_client.get(url, {"status": "sent"}).context["page"].object_list) == []
    assert list(rep1_client.get(url, {"q": "pacific"}).context["page"].object_list) == [draft]
    empty = rep1_client.get(url, {"q": "nothing like this"})
    assert "No quotes match your search." in empty.content.decode()


def test_quote_list_is_empty_when_there_are_no_quotes(rep1_client):
    html = rep1_client.get(reverse("crm:quote_list")).content.decode()
    assert "No quotes yet." in html


def test_quote_page_shows_terms_lines_pdf_and_actions(rep1_client, draft):
    response = rep1_client.get(reverse("crm:quote_detail", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert draft.number in html and "Revision 1" in html
    assert f'href="/api/v1/quotes/{draft.pk}/pdf/" target="_blank" rel="noopener"' in html
    assert "<bdi>FOB Ningbo</bdi>" in html
    assert "$8.46" in html and "$5,076.00" in html
    assert reverse("crm:quote_send", args=[draft.pk]) in html
    assert reverse("crm:quote_revise", args=[draft.pk]) in html
    assert reverse("crm:quote_accept", args=[draft.pk]) not in html  # not sent yet
    assert 'name="csrfmiddlewaretoken"' in html and "hx-confirm" in html


def test_send_asks_for_confirmation_without_scripts(rep1_client, draft):
    url = reverse("crm:quote_send", args=[draft.pk])
    response = rep1_client.post(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Yes, mark as sent" in html and 'name="confirmed" value="1"' in html
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.DRAFT


def test_send_accept_and_create_order_through_the_pages(rep1_client, draft):
    detail = reverse("crm:quote_detail", args=[draft.pk])
    response = rep1_client.post(reverse("crm:quote_send", args=[draft.pk]), {"confirmed": "1"})
    assert response.status_code == 302 and response.url == detail
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.SENT

    page = rep1_client.get(detail)
    assert page.context["accept_form"].initial["accepted_by"] == "Emily Carter"
    response = rep1_client.post(
        reverse("crm:quote_accept", args=[draft.pk]),
        {"accepted_by": "Emily Carter", "channel": "email", "confirmed": "1"},
    )
    assert response.url == detail
    draft.refresh_from_db()
    assert (draft.status, draft.decided_by, draft.decided_via) == (
        QuoteStatus.ACCEPTED,
        "Emily Carter",
        "email",
    )

    response = rep1_client.post(
        reverse("crm:quote_order_create", args=[draft.pk]), {"confirmed": "1"}
    )
    order = Order.objects.get(quote=draft)
    assert response.url == reverse("crm:order_detail", args=[order.pk])
    assert order.total == draft.total
    html = rep1_client.get(detail).content.decode()
    assert f"Order {order.number}" in html
    assert reverse("crm:quote_order_create", args=[draft.pk]) not in html


def test_htmx_actions_answer_with_a_client_redirect(rep1_client, draft):
    response = rep1_client.post(
        reverse("crm:quote_send", args=[draft.pk]), {"confirmed": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.headers["HX-Redirect"] == reverse("crm:quote_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.SENT


def test_reject_records_the_reason(rep1_client, draft):
    quote_send(quote=draft, user=None)
    response = rep1_client.post(
        reverse("crm:quote_reject", args=[draft.pk]),
        {"reason": "Went with a local supplier", "confirmed": "1"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.REJECTED
    assert draft.rejection_reason == "Went with a local supplier"


def test_a_refused_action_shows_the_error_and_changes_nothing(rep1_client, draft):
    response = rep1_client.post(
        reverse("crm:quote_accept", args=[draft.pk]),
        {"accepted_by": "Emily Carter", "channel": "email", "confirmed": "1"},
        follow=True,
    )
    assert "Only a sent quote can be accepted" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.DRAFT and draft.decided_at is None
    assert not Order.objects.filter(quote=draft).exists()


def test_revise_creates_revision_two_from_the_prefilled_form(rep1_client, draft):
    quote_send(quote=draft, user=None)
    url = reverse("crm:quote_revise", args=[draft.pk])
    form_page = rep1_client.get(url)
    assert form_page.status_code == 200
    rows = form_page.context["rows"].rows
    assert [(row.product, row.quantity) for row in rows] == [(product_id(PANEL), "600")]
    assert form_page.context["form"].initial["named_place"] == "Ningbo"
    assert form_page.context["preview"].result.total == draft.total

    data = builder_data(draft.company, [(PANEL, 1200)], named_place="Ningbo")
    response = rep1_client.post(url, data)
    revision = Quote.objects.get(number=draft.number, revision=2)
    assert response.url == reverse("crm:quote_detail", args=[revision.pk])
    assert revision.status == QuoteStatus.DRAFT and revision.supersedes == draft
    assert revision.lines.get().quantity == 1200
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.SUPERSEDED
    html = rep1_client.get(response.url).content.decode()
    assert "Revision 2" in html
    assert reverse("crm:quote_detail", args=[draft.pk]) in html  # link to revision 1
    old = rep1_client.get(reverse("crm:quote_detail", args=[draft.pk])).content.decode()
    assert url not in old  # only the latest revision can be revised


def test_an_accepted_quote_cannot_be_revised(rep1_client, draft):
    quote_send(quote=draft, user=None)
    quote_accept(quote=draft, accepted_by="Emily Carter", channel="email")
    response = rep1_client.get(reverse("crm:quote_revise", args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:quote_detail", args=[draft.pk])
    assert "Only the latest revision" in response.content.decode()
    assert Quote.objects.filter(number=draft.number).count() == 1


def test_history_lists_the_change_after_sending(rep1_client, draft):
    rep1_client.post(reverse("crm:quote_send", args=[draft.pk]), {"confirmed": "1"})
    response = rep1_client.get(reverse("crm:quote_detail", args=[draft.pk]))
    entries = response.context["history"]
    assert [entry.kind for entry in entries] == ["Changed", "Created"]
    changes = {change.label: (change.old, change.new) for change in entries[0].changes}
    assert changes["Status"] == ("Draft", "Sent")
    assert "Sent at" in changes
    assert entries[0].user.username == "rep1"
    html = response.content.decode()
    assert 'id="history-title"' in html and "Sent" in html


def test_rep2_gets_404_on_rep1s_quote_and_never_sees_it_listed(client, demo_users, draft):
    client.force_login(demo_users["rep2"])
    assert client.get(reverse("crm:quote_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("crm:quote_revise", args=[draft.pk])).status_code == 404
    response = client.post(reverse("crm:quote_send", args=[draft.pk]), {"confirmed": "1"})
    assert response.status_code == 404
    listed = client.get(reverse("crm:quote_list"))
    assert draft not in listed.context["page"].object_list
    assert draft.number not in listed.content.decode()
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.DRAFT


# --- Orders -----------------------------------------------------------------------------


def test_order_page_shows_the_shipment_of_so_2026_0101(rep1_client):
    order = Order.objects.get(number="SO-2026-0101")
    response = rep1_client.get(reverse("crm:order_detail", args=[order.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "MSC Aurora" in html
    shipped = order.events.get(to_status=OrderStatus.SHIPPED)
    assert shipped.container in html
    assert "Solaris Energia Ltda." in html and "Shipped" in html
    assert len(response.context["events"]) == order.events.count()
    assert response.context["paid"] == order.total
    assert response.context["balance"] == 0
    # shipped → delivered is the only move left
    assert response.context["transition_form"].allowed == [("delivered", "Delivered")]


def test_order_timeline_links_tracking_safely(rep1_client, demo_users):
    order = Order.objects.get(number="SO-2026-0102")
    OrderEvent.objects.create(
        order=order,
        from_status="",
        to_status=order.status,
        occurred_at=timezone.now(),
        actor=demo_users["rep1"],
        tracking_url="https://track.example.com/ABC",
        note="<b>bold</b>",
    )
    html = rep1_client.get(reverse("crm:order_detail", args=[order.pk])).content.decode()
    assert (
        '<a href="https://track.example.com/ABC" target="_blank" rel="noopener noreferrer"' in html
    )
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_order_list_shows_visible_orders(rep1_client):
    response = rep1_client.get(reverse("crm:order_list"))
    numbers = {order.number for order in response.context["page"].object_list}
    assert numbers == {"SO-2026-0101", "SO-2026-0102", "SO-2026-0104", "SO-2026-0105"}
    shipped = rep1_client.get(reverse("crm:order_list"), {"status": "shipped"})
    assert {o.number for o in shipped.context["page"].object_list} == {
        "SO-2026-0101",
        "SO-2026-0105",
    }


def test_rep2_gets_404_on_rep1s_order_and_never_sees_it_listed(client, demo_users):
    order = Order.objects.get(number="SO-2026-0101")
    client.force_login(demo_users["rep2"])
    assert client.get(reverse("crm:order_detail", args=[order.pk])).status_code == 404
    response = client.post(
        reverse("crm:order_transition", args=[order.pk]),
        {"status": "delivered", "confirmed": "1"},
    )
    assert response.status_code == 404
    html = client.get(reverse("crm:order_list")).content.decode()
    assert "SO-2026-0101" not in html and "SO-2026-0103" in html


def test_order_moves_to_its_next_status_with_shipment_data(rep1_client, demo_users):
    order = Order.objects.get(number="SO-2026-0102")  # in production
    url = reverse("crm:order_transition", args=[order.pk])
    rep1_client.post(url, {"status": "ready_to_ship", "confirmed": "1"})
    response = rep1_client.post(
        url,
        {
            "status": "shipped",
            "vessel": "Ever Given",
            "container": "MSKU1234565",
            "bill_of_lading": "NGB123456",
            "etd": "2026-12-01",
            "eta": "2027-01-05",
            "tracking_url": "https://track.example.com/NGB123456",
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    event = order.events.get(to_status=OrderStatus.SHIPPED)
    assert (event.vessel, event.bill_of_lading, event.actor) == (
        "Ever Given",
        "NGB123456",
        demo_users["rep1"],
    )
    html = rep1_client.get(reverse("crm:order_detail", args=[order.pk])).content.decode()
    assert "Ever Given" in html and "NGB123456" in html


def test_illegal_order_transition_shows_an_error_and_changes_nothing(rep1_client):
    order = Order.objects.get(number="SO-2026-0104")  # pending payment
    events = order.events.count()
    response = rep1_client.post(
        reverse("crm:order_transition", args=[order.pk]),
        {"status": "delivered", "confirmed": "1"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "cannot become Delivered" in html
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.events.count() == events


def test_illegal_transition_over_htmx_returns_the_form_with_the_error(rep1_client):
    order = Order.objects.get(number="SO-2026-0104")
    response = rep1_client.post(
        reverse("crm:order_transition", args=[order.pk]),
        {"status": "shipped", "confirmed": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.startswith('<form id="order-transition-form"')
    assert "cannot become Shipped" in html


def test_transition_select_offers_only_the_allowed_next_statuses(rep1_client):
    order = Order.objects.get(number="SO-2026-0104")
    html = rep1_client.get(reverse("crm:order_detail", args=[order.pk])).content.decode()
    select = re.search(r'<select name="status".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="(\w+)"', select) == ["confirmed", "cancelled"]


def test_deposit_payment_confirms_the_pending_order(rep1_client, demo_users):
    order = Order.objects.get(number="SO-2026-0104")
    deposit = order_deposit_due(order)
    response = rep1_client.post(
        reverse("crm:order_payment_create", args=[order.pk]),
        {
            "kind": "deposit",
            "amount": str(deposit),
            "currency": "USD",
            "received_on": "2026-11-20",
            "reference": "T/T 0042",
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert payment.amount == deposit and payment.recorded_by == demo_users["rep1"]
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    page = rep1_client.get(reverse("crm:order_detail", args=[order.pk]))
    assert page.context["paid"] == deposit
    assert page.context["balance"] == order.total - deposit
    assert "T/T 0042" in page.content.decode()


def test_payment_in_another_currency_is_refused(rep1_client):
    order = Order.objects.get(number="SO-2026-0104")
    response = rep1_client.post(
        reverse("crm:order_payment_create", args=[order.pk]),
        {
            "kind": "deposit",
            "amount": "100.00",
            "currency": "EUR",
            "received_on": "2026-11-20",
            "confirmed": "1",
        },
    )
    assert response.status_code == 422
    assert "record the payment in USD" in response.content.decode()
    assert not Payment.objects.filter(order=order).exists()


def test_order_page_lists_its_history(rep1_client):
    order = Order.objects.get(number="SO-2026-0104")
    rep1_client.post(
        reverse("crm:order_transition", args=[order.pk]),
        {"status": "cancelled", "note": "Buyer withdrew", "confirmed": "1"},
    )
    response = rep1_client.get(reverse("crm:order_detail", args=[order.pk]))
    changes = {c.label: (c.old, c.new) for c in response.context["history"][0].changes}
    assert changes["Status"] == ("Pending payment", "Cancelled")
    assert "Buyer withdrew" in response.content.decode()


# --- Company and product pages ------------------------------------------------------------


def test_company_page_lists_quotes_and_orders_and_offers_a_new_quote(rep1_client, draft):
    company = draft.company
    html = rep1_client.get(reverse("crm:company_detail", args=[company.pk])).content.decode()
    assert draft.number in html
    assert "SO-2026-0105" in html
    assert f"{reverse('crm:quote_create')}?company={company.pk}" in html


def test_product_page_shows_price_history(rep1_client, demo_users):
    product = Product.objects.get(sku=PANEL)
    price_break = product.price_breaks.order_by("min_quantity").first()
    old_price = price_break.unit_price
    price_break.unit_price = old_price + 1
    price_break._history_user = demo_users["manager"]
    price_break.save()
    response = rep1_client.get(reverse("crm:product_detail", args=[product.pk]))
    latest = response.context["price_history"][0]
    assert (latest.old_price, latest.new_price) == (old_price, old_price + 1)
    assert latest.min_quantity == price_break.min_quantity
    assert latest.user == demo_users["manager"]
    assert 'id="price-history-title"' in response.content.decode()


def test_a_company_with_orders_is_kept_with_a_message(manager_client, company):
    volt = company("Volt")
    response = manager_client.post(reverse("crm:company_delete", args=[volt.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:company_detail", args=[volt.pk])
    assert "has quotes or orders" in response.content.decode()
    assert Company.objects.filter(pk=volt.pk).exists()


def test_navigation_links_quotes_and_orders(rep1_client):
    html = rep1_client.get(reverse("crm:quote_list")).content.decode()
    assert f'<a href="{reverse("crm:quote_list")}" aria-current="page">Quotes</a>' in html
    assert f'<a href="{reverse("crm:order_list")}" >Orders</a>' in html


def test_accepted_quote_on_the_page_links_its_order_button(rep1_client, draft):
    quote_send(quote=draft, user=None)
    quote_accept(quote=draft, accepted_by="Emily Carter", channel="email")
    html = rep1_client.get(reverse("crm:quote_detail", args=[draft.pk])).content.decode()
    assert reverse("crm:quote_order_create", args=[draft.pk]) in html
    assert "Emily Carter" in html and "Email" in html


def test_sales_pages_are_translated(rep1_client, settings, draft):
    rep1_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = rep1_client.get(reverse("crm:quote_detail", args=[draft.pk])).content.decode()
    assert "报价单" in html and "修订" in html and "付款条件" in html
    rep1_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    order = Order.objects.get(number="SO-2026-0101")
    html = rep1_client.get(reverse("crm:order_detail", args=[order.pk])).content.decode()
    assert 'dir="rtl"' in html
    assert "التسلسل الزمني للحالة" in html  # Status timeline
    assert "السفينة" in html  # Vessel
