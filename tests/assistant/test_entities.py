"""Entities as EVAL.md shapes them, one kind at a time, in the buyers' own notations."""

from datetime import datetime, timedelta, timezone

import pytest


def items(result):
    return [(item["sku"], item["quantity"], item["unit"]) for item in result.entities["items"]]


@pytest.mark.parametrize(
    ("text", "sku", "quantity"),
    [
        ("Please quote 2,000 pcs LED panel 600x600", "LP-6060-40", 2000),
        ("Cotización de 2.000 paneles LED 60x60", "LP-6060-40", 2000),
        ("Devis pour 2 000 panneaux LED 600x600", "LP-6060-40", 2000),
        ("need 5k pcs T8 tube 18w", "T8-120-18", 5000),
        ("quote two thousand flood lights 200W", "FL-200", 2000),
        ("necesito dos mil reflectores de 200W", "FL-200", 2000),
        ("preciso de duas mil lâmpadas A60", "BL-A60-9", 2000),
        ("wir brauchen zwei Tausend LED-Röhren T8", "T8-120-18", 2000),
        ("wir brauchen zweitausend LED-Röhren T8", "T8-120-18", 2000),
        ("нужно пятьсот прожекторов 200 Вт", "FL-200", 500),
        ("нужно 3 тыс. светодиодных панелей 600х600", "LP-6060-40", 3000),
        ("请报价两千个面板灯", "LP-6060-40", 2000),
        ("6寸筒灯1.2万只", "DL-6-12", 12000),
        ("需要一万个球泡灯", "BL-A60-9", 10000),
        ("أحتاج ٥٠٠ عمود إنارة شمسي", "SL-AIO-100", 500),
        ("نحتاج ألفين بانل 600×600", "LP-6060-40", 2000),
        ("cotizar 5 mil rollos de tira led 5050", "STR-5050-RGB", 5000),
        ("mil quinientos tubos LED T8", "T8-120-18", 1500),
        ("quatre-vingt-dix onduleurs hybrides 5kW", "INV-H5K", 90),
    ],
)
def test_quantities_in_every_notation(read, text, sku, quantity):
    assert (sku, quantity) in [(s, q) for s, q, _ in items(read(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Price for 1x40HQ of the 600x600 panel?", ("LP-6060-40", 1, "container40")),
        ("Quote 2 x 20GP T8 tubes CIF Lagos", ("T8-120-18", 2, "container20")),
        ("Cotizar 2 contenedores de 20 de tubos LED T8", ("T8-120-18", 2, "container20")),
        ("报价：一个40尺柜的T8灯管", ("T8-120-18", 1, "container40")),
        ("один 40-футовый контейнер прожекторов 200 Вт", ("FL-200", 1, "container40")),
        ("50 cartons of A60 bulbs", ("BL-A60-9", 50, "carton")),
        ("3000 rolls of 5050 RGB strip", ("STR-5050-RGB", 3000, "roll")),
        ("ممكن عينتين من شريط LED 5050", ("STR-5050-RGB", 2, "roll")),
    ],
)
def test_containers_cartons_and_rolls(read, text, expected):
    assert expected in items(read(text))


def test_a_container_without_a_product_is_not_an_item(read):
    assert read("How much is the freight for one 40HQ to Mombasa?").entities["items"] == []


@pytest.mark.parametrize(
    "text",
    [
        "How much is the UFO high bay?",
        "UFO工矿灯150W多少钱一个？",
        "Is your 450W mono panel tier 1?",
        "我们订的是4000K的面板灯，不是6500K",
        "The 12.8V 100Ah battery has UN38.3?",
    ],
)
def test_a_product_named_without_quantity_has_none(read, text):
    assert all(quantity is None for _, quantity, _ in items(read(text)))


@pytest.mark.parametrize(
    ("text", "skus"),
    [
        ("panel light 60x60 and UFO high bay", {"LP-6060-40", "HB-UFO-150"}),
        ("平板灯和投光灯", {"LP-6060-40", "FL-200"}),
        ("tubo T8 y bombillas E27", {"T8-120-18", "BL-A60-9"}),
        ("прожектор 200W и солнечная панель 450W", {"FL-200", "PV-M450"}),
        ("لوح شمسي 450 واط وبطارية ليثيوم", {"PV-M450", "BAT-LFP-12100"}),
        ("floodlite 200w and dowlights", {"FL-200", "DL-6-12"}),  # misspelt
        ("Wechselrichter 5kW und Wallbox", {"INV-H5K", "EVC-7K"}),
        ("LP-6060-40 and HB-UFO-150", {"LP-6060-40", "HB-UFO-150"}),
    ],
)
def test_products_from_names_synonyms_specs_and_misspellings(read, text, skus):
    assert {sku for sku, _, _ in items(read(text))} == skus


NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Need delivery by end of March", "2027-03-31"),
        ("ship within 30 days", "2026-12-24"),
        ("下个月底之前要到货", "2026-12-31"),
        ("отгрузка до конца года", "2026-12-31"),
        ("entrega antes del 15 de enero", "2027-01-15"),
        ("Lieferung bis spätestens Ende Februar", "2027-02-28"),
        ("livraison au plus tard le 15/02/2027", "2027-02-15"),
        ("التسليم خلال ٦٠ يوم", "2027-01-23"),
        ("entrega até o fim de janeiro", "2027-01-31"),
        ("need them in Los Angeles by 01/15/2027", "2027-01-15"),
        ("shipped by Christmas Eve", "2026-12-24"),
        ("最迟2027年1月20日到港", "2027-01-20"),
        ("поставка в течение двух недель", "2026-12-08"),
        ("delivery next month", "2026-12-31"),
    ],
)
def test_delivery_dates_resolved_against_now(read, text, date):
    assert read(text, now=NOW).entities["delivery_date"] == date


@pytest.mark.parametrize(
    "text",
    [
        "We can pay within 30 days of invoice",
        "Zahlungsziel von 30 Tagen möglich?",
        "The shipment left three weeks ago",
        "We ordered in March 2025",
    ],
)
def test_dates_that_are_not_delivery_dates_are_ignored(read, text):
    assert read(text, now=NOW).entities["delivery_date"] is None


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("Philips sells at $24 per piece", "24.00", "USD"),
        ("precio objetivo US$ 8,50", "8.50", "USD"),
        ("NVC同款面板灯才8.5美金", "8.50", "USD"),
        ("Opple nous propose 7,90 € HT l'unité", "7.90", "EUR"),
        ("аналог по 23,5 долл. за штуку", "23.50", "USD"),
        ("نطلب سعر ٤٣٠ دولار للعاكس", "430.00", "USD"),
        ("Zielpreis 1,40 USD/Stk.", "1.40", "USD"),
        ("Can you do 1.234,50 EUR each?", "1234.50", "EUR"),
        ("O concorrente faz por R$ 45,00", "45.00", "BRL"),
        ("we accept the 3,000 rolls at 3.80", "3.80", "USD"),
    ],
)
def test_target_prices_with_local_formats(read, text, amount, currency):
    assert read(text).entities["target_price"] == {"amount": amount, "currency": currency}


def test_a_bare_panel_is_ambiguous_between_led_and_solar(read):
    assert read("Quote 100 panels").entities["items"] == []
    assert items(read("Quote 100 solar panels")) == [("PV-M450", 100, "pcs")]


def test_a_deposit_percentage_is_not_a_price(read):
    assert read("We confirm, 30% deposit tomorrow").entities["target_price"] is None


@pytest.mark.parametrize(
    ("text", "port", "country"),
    [
        ("Please quote CIF Callao", "Callao", "PE"),
        ("precio CIF Manzanillo, México", "Manzanillo", "MX"),
        ("请报CIF巴生港价格", "巴生港", "MY"),
        ("海运到汉堡要多久", "汉堡", "DE"),
        ("CFR جبل علي", "جبل علي", "AE"),
        ("كم مدة الشحن من نينغبو إلى الدمام؟", "الدمام", "SA"),
        ("CIF Новороссийск", "Новороссийск", "RU"),
        ("доставка до Новороссийска", "Новороссийска", "RU"),  # as written, inflected
        ("transit time from Ningbo to Felixstowe", "Felixstowe", "GB"),
        ("cif abidjan merci", "abidjan", "CI"),
        ("DAP Wien", "Wien", "AT"),
        ("Frachtkosten nach Warschau", "Warschau", "PL"),
    ],
)
def test_destination_port_as_written_and_its_country(read, text, port, country):
    entities = read(text).entities
    assert entities["destination_port"] == port
    assert entities["destination_country"] == country


def test_the_port_of_loading_is_not_a_destination(read):
    entities = read("Quote 500 panels FOB Ningbo").entities
    assert entities["destination_port"] is None
    assert entities["incoterm"] == "FOB"


def test_an_ordinary_word_that_is_also_a_city_needs_a_capital(read):
    assert read("os lagos e os santos da cidade").entities["destination_port"] is None
    assert read("CIF Santos please").entities["destination_port"] == "Santos"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Tel: +234 803 123 4567", "+2348031234567"),
        ("call me on +1 416 555 0199", "+14165550199"),
        ("手机 +86 138 0571 2345", "+8613805712345"),
        ("тел.: +7 701 234 56 78", "+77012345678"),
        ("اتصل بي على +962 79 123 4567", "+962791234567"),
        ("Meu número é (11) 98888-7777", "+5511988887777"),
        ("Bitte um Rückruf unter 0171 9876543", "+491719876543"),
        ("Tél. : +33 4 72 12 34 56", "+33472123456"),
    ],
)
def test_phones_in_e164(read, text, phone):
    assert read(text).entities["phone"] == phone


def test_order_number_is_normalised_upper_case(read):
    assert read("status of so-2026-0102?").entities["order_number"] == "SO-2026-0102"
    assert read("订单SO-2026-0110进度").entities["order_number"] == "SO-2026-0110"


@pytest.mark.parametrize(
    ("text", "incoterm"),
    [
        ("price cif lagos", "CIF"),
        ("C&F Apapa", "CFR"),
        ("DAP Lisboa", "DAP"),
        ("EXW factory", "EXW"),
    ],
)
def test_incoterms(read, text, incoterm):
    assert read(text).entities["incoterm"] == incoterm


@pytest.mark.parametrize(
    ("text", "competitor"),
    [
        ("Signify is offering $0.47/pc", "Signify"),
        ("NVC同款面板灯才8.5美金", "NVC"),
        ("аналог Philips нам предлагают по 23,5 долл.", "Philips"),
        ("Osram-Händler bieten uns 23,90 €", "Osram"),
        ("compare with Jinko's 450W", "Jinko"),
        ("飞利浦的价格更低", "飞利浦"),
    ],
)
def test_competitors_as_written(read, text, competitor):
    assert read(text).entities["competitor"] == competitor


def test_shipping_by_dhl_is_not_a_competitor(read):
    assert read("send one sample by DHL, we pay the courier").entities["competitor"] is None


def test_email_is_read(read):
    assert read("Email: Chinedu.Okafor@BrightHouse-ng.com").entities["email"] == (
        "chinedu.okafor@brighthouse-ng.com"
    )


def test_entities_have_exactly_the_eval_shape(read):
    entities = read("Quote 100 LED panels").entities
    assert set(entities) == {
        "items",
        "incoterm",
        "destination_country",
        "destination_port",
        "delivery_date",
        "target_price",
        "order_number",
        "competitor",
        "email",
        "phone",
    }
    assert entities["items"] == [{"sku": "LP-6060-40", "quantity": 100, "unit": "pcs"}]
