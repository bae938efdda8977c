import pytest

from assistant.understanding.intent_rules import INTENTS, PRECEDENCE

CASES = {
    "en": [
        ("Hiya, good morning!", "greeting"),
        ("Does the 7kW wallbox support load balancing?", "product_info"),
        ("How much are your A60 bulbs?", "price_inquiry"),
        ("Please quote 4,000 pcs 12W downlight CIF Durban", "quote_request"),
        ("Your T8 price is too high, Osram gives us 1.35", "negotiation"),
        ("We accept your offer, please send the PI for 600 flood lights", "order_placement"),
        ("Has our container left Ningbo? Need the ETA", "order_status"),
        ("Can we get one sample of the hybrid inverter?", "sample_request"),
        ("What's the sea freight to Chittagong for a 40HQ?", "shipping_inquiry"),
        ("Do you accept 30% T/T deposit, balance against B/L copy?", "payment_terms"),
        ("Kindly email the datasheet and IES file of the UFO light", "documents_request"),
        ("20 of the batteries arrived swollen, really disappointed", "complaint"),
        ("Please refund the 12 broken panels", "return_refund"),
        ("I need to speak to a human, call me please", "human_handoff"),
        ("Many thanks, bye!", "thanks_goodbye"),
        ("Buy cheap followers for your Instagram now!!!", "other"),
    ],
    "zh": [
        ("您好", "greeting"),
        ("这款逆变器效率多少？质保几年？", "product_info"),
        ("5050灯带什么价格？", "price_inquiry"),
        ("请报价：投光灯200W 800个，CIF迪拜", "quote_request"),
        ("太贵了，能再便宜点吗？", "negotiation"),
        ("价格可以，确认下单，明天付定金", "order_placement"),
        ("我们的订单什么时候出货？", "order_status"),
        ("可以寄两个样品吗", "sample_request"),
        ("海运到汉堡要多久？", "shipping_inquiry"),
        ("付款方式是什么？能做信用证吗", "payment_terms"),
        ("请发一下产品目录", "documents_request"),
        ("收到的货一半不亮，太差了", "complaint"),
        ("这批坏了，我们要退款", "return_refund"),
        ("请让业务员给我打电话", "human_handoff"),
        ("好的谢谢，再见", "thanks_goodbye"),
        ("兼职刷单，日赚300", "other"),
    ],
    "es": [
        ("Buenas tardes 🙂", "greeting"),
        ("¿El reflector de 200W tiene garantía de 3 años?", "product_info"),
        ("¿Cuánto cuesta la bombilla A60?", "price_inquiry"),
        ("Cotícenme 1.000 paneles 60x60 CIF Callao por favor", "quote_request"),
        ("Está caro, ¿me hacen un descuento?", "negotiation"),
        ("Confirmamos el pedido, envíen los datos bancarios", "order_placement"),
        ("¿Ya despacharon el pedido SO-2026-0104?", "order_status"),
        ("Quisiera una muestra de la farola solar", "sample_request"),
        ("¿Cuánto cuesta el flete a Cartagena?", "shipping_inquiry"),
        ("¿Aceptan carta de crédito a la vista?", "payment_terms"),
        ("Mándenme la ficha técnica del inversor", "documents_request"),
        ("Los tubos llegaron rotos, pésimo embalaje", "complaint"),
        ("Queremos la devolución de nuestro dinero", "return_refund"),
        ("Quiero hablar con un asesor, llámenme", "human_handoff"),
        ("Gracias, hasta luego", "thanks_goodbye"),
        ("Gana dinero desde casa con criptomonedas", "other"),
    ],
    "pt": [
        ("Olá, boa tarde", "greeting"),
        ("A bateria de lítio aguenta quantos ciclos?", "product_info"),
        ("Quanto custa o carregador de 7kW?", "price_inquiry"),
        ("Preciso de cotação de 300 inversores CIF Santos", "quote_request"),
        ("Tá caro, consegue um desconto?", "negotiation"),
        ("Pode fechar o pedido, manda a proforma", "order_placement"),
        ("Qual a previsão de chegada do nosso pedido?", "order_status"),
        ("Vocês mandam amostra do downlight?", "sample_request"),
        ("Quanto tempo leva o frete marítimo até Paranaguá?", "shipping_inquiry"),
        ("Quais as condições de pagamento?", "payment_terms"),
        ("Me envia o catálogo, por favor", "documents_request"),
        ("As lâmpadas chegaram queimadas, péssima qualidade", "complaint"),
        ("Quero o reembolso das peças com defeito", "return_refund"),
        ("Quero falar com um vendedor", "human_handoff"),
        ("Valeu, obrigado!", "thanks_goodbye"),
        ("Vocês estão contratando? Segue meu currículo", "other"),
    ],
    "ru": [
        ("Добрый день!", "greeting"),
        ("Какой срок службы у прожектора?", "product_info"),
        ("Сколько стоит инвертор 5 кВт?", "price_inquiry"),
        ("Прошу КП на 2000 панелей 600х600", "quote_request"),
        ("Дорого, дайте скидку", "negotiation"),
        ("Подтверждаем заказ, выставляйте счёт", "order_placement"),
        ("Когда отгрузка по нашему заказу?", "order_status"),
        ("Пришлите образец ленты", "sample_request"),
        ("Сколько стоит доставка до Владивостока?", "shipping_inquiry"),
        ("Работаете с отсрочкой платежа?", "payment_terms"),
        ("Пришлите каталог продукции", "documents_request"),
        ("Половина ламп сгорела, ужасное качество", "complaint"),
        ("Требуем возврат денег", "return_refund"),
        ("Соедините с менеджером", "human_handoff"),
        ("Спасибо, до свидания", "thanks_goodbye"),
        ("Заработок в интернете без вложений", "other"),
    ],
    "ar": [
        ("مرحبا", "greeting"),
        ("كم مدة ضمان الانفرتر؟", "product_info"),
        ("كم سعر الكشاف 200 واط؟", "price_inquiry"),
        ("أرجو عرض سعر لـ 400 لوح شمسي", "quote_request"),
        ("السعر غالي، ممكن خصم؟", "negotiation"),
        ("نؤكد الطلب، أرسلوا الفاتورة المبدئية", "order_placement"),
        ("متى يتم شحن طلبيتنا؟", "order_status"),
        ("نحتاج عينة من البطارية", "sample_request"),
        ("كم تكلفة الشحن إلى جدة؟", "shipping_inquiry"),
        ("ما هي طرق الدفع المتاحة؟", "payment_terms"),
        ("أرسلوا لي الكتالوج", "documents_request"),
        ("وصلت البضاعة تالفة، غير مقبول", "complaint"),
        ("نريد استرجاع المبلغ", "return_refund"),
        ("اتصلوا بي من فضلكم", "human_handoff"),
        ("شكرا جزيلا", "thanks_goodbye"),
        ("اربح المال من البيت بسهولة", "other"),
    ],
    "fr": [
        ("Bonjour !", "greeting"),
        ("Le projecteur est-il certifié IP66 ?", "product_info"),
        ("Combien coûte l'onduleur 5kW ?", "price_inquiry"),
        ("Merci de nous faire un devis pour 500 bornes", "quote_request"),
        ("C'est trop cher, pouvez-vous faire une remise ?", "negotiation"),
        ("Nous confirmons la commande, envoyez la proforma", "order_placement"),
        ("Où en est notre commande ?", "order_status"),
        ("Pouvez-vous envoyer un échantillon ?", "sample_request"),
        ("Quel est le prix du fret vers Abidjan ?", "shipping_inquiry"),
        ("Quelles sont vos conditions de paiement ?", "payment_terms"),
        ("Envoyez-moi la fiche technique svp", "documents_request"),
        ("Les tubes sont arrivés cassés, inadmissible", "complaint"),
        ("Nous voulons être remboursés", "return_refund"),
        ("Je veux parler à un commercial", "human_handoff"),
        ("Merci beaucoup, bonne journée", "thanks_goodbye"),
        ("Vous recrutez ? Voici ma candidature", "other"),
    ],
    "de": [
        ("Guten Morgen", "greeting"),
        ("Ist die Wallbox dimmbar? Wie lange ist die Garantie?", "product_info"),
        ("Was kostet das Solarmodul?", "price_inquiry"),
        ("Bitte um Angebot für 1.000 Stück LED-Panels", "quote_request"),
        ("Zu teuer, geht da noch was beim Preis?", "negotiation"),
        ("Hiermit bestellen wir 200 Fluter", "order_placement"),
        ("Wie ist der Stand unserer Bestellung?", "order_status"),
        ("Können Sie ein Muster schicken?", "sample_request"),
        ("Was kostet die Seefracht nach Hamburg?", "shipping_inquiry"),
        ("Welche Zahlungsbedingungen bieten Sie?", "payment_terms"),
        ("Bitte senden Sie das Datenblatt", "documents_request"),
        ("Die Röhren flackern, mangelhafte Qualität", "complaint"),
        ("Wir verlangen eine Gutschrift", "return_refund"),
        ("Rufen Sie mich bitte an", "human_handoff"),
        ("Vielen Dank, tschüss", "thanks_goodbye"),
        ("Schnell Geld verdienen mit Krypto!", "other"),
    ],
}


@pytest.mark.parametrize(
    ("language", "text", "intent"),
    [(language, text, intent) for language, cases in CASES.items() for text, intent in cases],
)
def test_intent_in_each_language(read, language, text, intent):
    result = read(text)
    assert result.intent == intent
    assert result.language == language
    assert 0 <= result.intent_confidence <= 1


def test_every_intent_is_ranked_once():
    assert sorted(PRECEDENCE) == sorted(INTENTS)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a complaint and a refund request: the refund decides what happens next
        ("The panels arrived cracked. We want our money back.", "return_refund"),
        # a quote request that asks for a person
        ("Quote 500 bulbs please, and have your manager call me", "human_handoff"),
        # confirming an order and asking about payment: the order wins
        ("We confirm the order for 300 inverters; can we pay by L/C?", "order_placement"),
        # a price question with a quantity is a quote request
        ("How much for 2,000 pcs of the 6 inch downlight?", "quote_request"),
        # a price question and a spec question: price first
        ("How much is the flood light and is it IP66?", "price_inquiry"),
        # thanks plus a new question
        ("Thanks! Do you also have the strip in warm white?", "product_info"),
        # freight cost is shipping, not a product price
        ("How much does freight to Mombasa cost for one 20ft?", "shipping_inquiry"),
    ],
)
def test_precedence_for_mixed_messages(read, text, intent):
    assert read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "escalate"),
    [
        ("I want to talk to your manager", True),
        ("The bulbs are all dead, terrible", True),
        ("Refund us for the broken lamps", True),
        ("Hello", False),
        ("Is the panel dimmable?", False),
        ("How much is the panel?", False),
        ("What's the transit time to Lagos?", False),
        ("Send me the catalog", False),
        ("Do you take L/C?", False),
        ("Thanks, bye", False),
        ("We confirm the order for 100 wallboxes", True),
        ("Too expensive, give us 5% off", True),
        ("Please quote 100 wallboxes CIF Hamburg", False),
    ],
)
def test_escalation_rules(read, text, escalate):
    assert read(text).escalate is escalate
