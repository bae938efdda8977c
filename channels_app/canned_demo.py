"""The demo seller's canned responses for sales reps, in the eight languages buyers write
in (idempotent). `{contact}` becomes the buyer's first name, `{rep}` the rep's name."""

from django.conf import settings
from django.db import transaction

from .models import CannedResponse

GREETING = {
    "en": "Hello {contact},",
    "zh-hans": "{contact}您好：",
    "es": "Buenos días, {contact}:",
    "pt": "Olá, {contact},",
    "ru": "Здравствуйте, {contact}!",
    "ar": "مرحباً {contact}،",
    "fr": "Bonjour {contact},",
    "de": "Guten Tag {contact},",
}

CLOSING = {
    "en": "Kind regards,\n{rep}",
    "zh-hans": "祝好！\n{rep}",
    "es": "Saludos cordiales,\n{rep}",
    "pt": "Atenciosamente,\n{rep}",
    "ru": "С уважением,\n{rep}",
    "ar": "مع أطيب التحيات،\n{rep}",
    "fr": "Bien cordialement,\n{rep}",
    "de": "Mit freundlichen Grüßen\n{rep}",
}

DEMO_CANNED_RESPONSES = (
    {
        "slug": "greeting-and-introduction",
        "title": {
            "en": "Greeting and introduction",
            "zh-hans": "问候与自我介绍",
            "es": "Saludo y presentación",
            "pt": "Saudação e apresentação",
            "ru": "Приветствие и знакомство",
            "ar": "تحية وتعريف",
            "fr": "Salutation et présentation",
            "de": "Begrüßung und Vorstellung",
        },
        "body": {
            "en": (
                "Thank you for your message. My name is {rep} and I will be your contact person from now on. We manufacture LED lighting (panels, high bays, floodlights, street lights) and solar products (panels, inverters, solar street lights) for export.",
                "Could you tell me which products, quantities and destination port you have in mind? I will then prepare an offer for you.",
            ),
            "zh-hans": (
                "感谢您的来信。我是{rep}，今后将由我负责与您联系。我们生产LED照明产品（面板灯、工矿灯、投光灯、路灯）和太阳能产品（太阳能板、逆变器、太阳能路灯），面向全球出口。",
                "请问您需要哪些产品、数量多少、目的港是哪里？我会据此为您准备报价。",
            ),
            "es": (
                "Muchas gracias por su mensaje. Mi nombre es {rep} y a partir de ahora seré su persona de contacto. Fabricamos iluminación LED (paneles, campanas industriales, reflectores, alumbrado público) y productos solares (paneles, inversores, luminarias solares) para exportación.",
                "¿Podría indicarme qué productos, cantidades y puerto de destino tiene previstos? Con esa información le preparo una oferta.",
            ),
            "pt": (
                "Agradecemos a sua mensagem. Meu nome é {rep} e, a partir de agora, serei a sua pessoa de contato. Fabricamos iluminação LED (painéis, luminárias industriais high bay, refletores, iluminação pública) e produtos solares (painéis, inversores, postes solares) para exportação.",
                "Você poderia me informar quais produtos, quantidades e porto de destino tem em mente? Com essas informações, prepararei uma proposta para você.",
            ),
            "ru": (
                "Благодарим Вас за сообщение. Меня зовут {rep}, с этого момента я буду Вашим контактным лицом. Мы производим светодиодное освещение (панели, промышленные светильники, прожекторы, уличные светильники) и солнечное оборудование (панели, инверторы, солнечные уличные фонари) на экспорт.",
                "Подскажите, пожалуйста, какие товары, в каком количестве и в какой порт назначения Вас интересуют? После этого я подготовлю для Вас коммерческое предложение.",
            ),
            "ar": (
                "نشكركم على رسالتكم. اسمي {rep} وسأكون جهة الاتصال الخاصة بكم من الآن فصاعداً. نحن نصنّع منتجات الإنارة بتقنية LED (الألواح، والكشافات الصناعية، والكشافات الخارجية، وإنارة الشوارع) ومنتجات الطاقة الشمسية (الألواح، والعواكس، وأعمدة الإنارة الشمسية) للتصدير.",
                "نرجو إفادتنا بالمنتجات والكميات وميناء الوصول التي تهمّكم، وسأقوم بإعداد عرض سعر لكم.",
            ),
            "fr": (
                "Nous vous remercions de votre message. Je m'appelle {rep} et je serai désormais votre contact. Nous fabriquons de l'éclairage LED (dalles, cloches industrielles, projecteurs, éclairage public) et des produits solaires (panneaux, onduleurs, lampadaires solaires) pour l'export.",
                "Pourriez-vous m'indiquer les produits, les quantités et le port de destination qui vous intéressent ? Je vous préparerai ensuite une offre.",
            ),
            "de": (
                "vielen Dank für Ihre Nachricht. Mein Name ist {rep}, ich betreue Sie ab sofort persönlich. Wir fertigen LED-Beleuchtung (Panels, Hallenstrahler, Fluter, Straßenleuchten) und Solarprodukte (Module, Wechselrichter, Solar-Straßenleuchten) für den Export.",
                "Könnten Sie mir mitteilen, welche Produkte, Mengen und welchen Zielhafen Sie im Blick haben? Dann erstelle ich Ihnen gern ein Angebot.",
            ),
        },
    },
    {
        "slug": "checking-with-production",
        "title": {
            "en": "We are checking with production",
            "zh-hans": "正在与工厂确认",
            "es": "Consultando con producción",
            "pt": "Verificando com a produção",
            "ru": "Уточняем на производстве",
            "ar": "نراجع مع قسم الإنتاج",
            "fr": "Vérification auprès de la production",
            "de": "Rückfrage bei der Produktion",
        },
        "body": {
            "en": (
                "Thank you for your patience. I am checking the production schedule and the available stock for your request with our factory, and I will come back to you with a confirmed date within one business day.",
            ),
            "zh-hans": (
                "感谢您的耐心等待。我正在与工厂核实您所需产品的生产排期和现有库存，将在一个工作日内给您确认具体日期。",
            ),
            "es": (
                "Gracias por su paciencia. Estoy consultando con nuestra fábrica el plan de producción y el stock disponible para su solicitud, y le confirmaré una fecha en un plazo de un día hábil.",
            ),
            "pt": (
                "Agradecemos a sua paciência. Estou verificando com a nossa fábrica o cronograma de produção e o estoque disponível para a sua solicitação, e retornarei com uma data confirmada em até um dia útil.",
            ),
            "ru": (
                "Благодарим Вас за терпение. Я уточняю на нашем заводе график производства и наличие на складе по Вашему запросу и в течение одного рабочего дня сообщу Вам подтверждённую дату.",
            ),
            "ar": (
                "نشكركم على صبركم. أقوم حالياً بمراجعة جدول الإنتاج والمخزون المتوفر لطلبكم مع المصنع، وسأعود إليكم بموعد مؤكد خلال يوم عمل واحد.",
            ),
            "fr": (
                "Merci de votre patience. Je vérifie actuellement auprès de notre usine le planning de production et le stock disponible pour votre demande, et je reviens vers vous avec une date confirmée sous un jour ouvré.",
            ),
            "de": (
                "vielen Dank für Ihre Geduld. Ich kläre gerade mit unserem Werk den Produktionsplan und den verfügbaren Lagerbestand für Ihre Anfrage und melde mich innerhalb eines Werktages mit einem bestätigten Termin bei Ihnen.",
            ),
        },
    },
    {
        "slug": "proforma-invoice-attached",
        "title": {
            "en": "Proforma invoice attached",
            "zh-hans": "形式发票已附上",
            "es": "Factura proforma adjunta",
            "pt": "Fatura proforma em anexo",
            "ru": "Проформа-инвойс во вложении",
            "ar": "الفاتورة المبدئية مرفقة",
            "fr": "Facture proforma ci-jointe",
            "de": "Proforma-Rechnung anbei",
        },
        "body": {
            "en": (
                "Please find attached the proforma invoice for your order. Kindly check the products, quantities, prices, Incoterm and delivery address. Once you confirm, we need the deposit stated on the invoice to start production; the production time starts when the payment is received.",
                "If anything needs to be changed, please let me know.",
            ),
            "zh-hans": (
                "附件是您订单的形式发票（PI），请核对产品、数量、价格、贸易术语和收货地址。确认无误后，请按发票所列金额支付定金，我们收到款项后即安排生产，生产周期自收款之日起计算。",
                "如需修改，请随时告诉我。",
            ),
            "es": (
                "Le adjunto la factura proforma de su pedido. Le ruego que revise los productos, las cantidades, los precios, el Incoterm y la dirección de entrega. Una vez que la confirme, necesitaremos el anticipo indicado en la factura para iniciar la producción; el plazo de producción empieza a contar al recibir el pago.",
                "Si hay que cambiar algo, no dude en indicármelo.",
            ),
            "pt": (
                "Segue em anexo a fatura proforma do seu pedido. Por gentileza, confira os produtos, as quantidades, os preços, o Incoterm e o endereço de entrega. Após a sua confirmação, precisaremos do sinal indicado na fatura para iniciar a produção; o prazo de produção começa a contar a partir do recebimento do pagamento.",
                "Se for necessário alterar algo, é só me avisar.",
            ),
            "ru": (
                "Во вложении проформа-инвойс по Вашему заказу. Пожалуйста, проверьте товары, количество, цены, условия Инкотермс и адрес доставки. После Вашего подтверждения для запуска производства нам потребуется предоплата, указанная в инвойсе; срок производства отсчитывается с момента поступления оплаты.",
                "Если что-то нужно изменить, пожалуйста, сообщите мне.",
            ),
            "ar": (
                "تجدون مرفقاً الفاتورة المبدئية لطلبكم. نرجو مراجعة المنتجات والكميات والأسعار وشرط التسليم (Incoterm) وعنوان التسليم. بعد تأكيدكم، سنحتاج إلى الدفعة المقدمة المذكورة في الفاتورة لبدء الإنتاج، وتبدأ مدة الإنتاج من تاريخ استلام الدفعة.",
                "إذا كان هناك أي تعديل مطلوب، يرجى إعلامي.",
            ),
            "fr": (
                "Vous trouverez ci-joint la facture proforma de votre commande. Merci de vérifier les produits, les quantités, les prix, l'Incoterm et l'adresse de livraison. Dès votre confirmation, nous aurons besoin de l'acompte indiqué sur la facture pour lancer la production ; le délai de production court à partir de la réception du paiement.",
                "Si quelque chose doit être modifié, n'hésitez pas à me le faire savoir.",
            ),
            "de": (
                "anbei erhalten Sie die Proforma-Rechnung zu Ihrer Bestellung. Bitte prüfen Sie Produkte, Mengen, Preise, Incoterm und Lieferadresse. Nach Ihrer Bestätigung benötigen wir die auf der Rechnung genannte Anzahlung, um die Produktion zu starten; die Produktionszeit beginnt mit dem Zahlungseingang.",
                "Falls etwas geändert werden muss, geben Sie mir bitte kurz Bescheid.",
            ),
        },
    },
    {
        "slug": "sample-shipping-details",
        "title": {
            "en": "Sample shipping details",
            "zh-hans": "样品寄送信息",
            "es": "Envío de muestras",
            "pt": "Envio de amostras",
            "ru": "Отправка образцов",
            "ar": "تفاصيل شحن العينات",
            "fr": "Expédition des échantillons",
            "de": "Musterversand",
        },
        "body": {
            "en": (
                "Your samples have been shipped by express courier. I will send you the tracking number as soon as the courier confirms it; delivery usually takes 3 to 7 business days, depending on customs clearance. Import duties and taxes at destination, if any, are paid by the receiver.",
                "Once you have tested the samples, I would be glad to hear your impressions.",
            ),
            "zh-hans": (
                "您的样品已通过国际快递寄出。快递公司确认后，我会第一时间把运单号发给您；根据清关情况，一般需要3到7个工作日送达。目的国如产生进口关税和税费，由收件人承担。",
                "测试之后，欢迎您告诉我使用感受。",
            ),
            "es": (
                "Sus muestras ya se enviaron por mensajería exprés. Le enviaré el número de seguimiento en cuanto el transportista lo confirme; la entrega suele tardar entre 3 y 7 días hábiles, según el despacho de aduanas. Los aranceles e impuestos de importación en destino, si los hubiera, corren por cuenta del destinatario.",
                "Cuando haya probado las muestras, le agradecería que me comentara sus impresiones.",
            ),
            "pt": (
                "Suas amostras já foram enviadas por courier expresso. Enviarei o código de rastreamento assim que a transportadora o confirmar; a entrega costuma levar de 3 a 7 dias úteis, dependendo do desembaraço aduaneiro. Eventuais impostos e taxas de importação no destino ficam a cargo do destinatário.",
                "Depois de testar as amostras, agradeceria se você pudesse me contar suas impressões.",
            ),
            "ru": (
                "Ваши образцы отправлены экспресс-почтой. Я пришлю Вам трек-номер, как только курьерская служба его подтвердит; доставка обычно занимает от 3 до 7 рабочих дней в зависимости от таможенного оформления. Ввозные пошлины и налоги в стране назначения, если они возникнут, оплачивает получатель.",
                "После тестирования образцов, пожалуйста, поделитесь своими впечатлениями.",
            ),
            "ar": (
                "تم شحن العينات الخاصة بكم عبر البريد السريع. سأرسل لكم رقم التتبع فور تأكيده من شركة الشحن، وعادةً ما يستغرق التسليم من 3 إلى 7 أيام عمل حسب إجراءات التخليص الجمركي. الرسوم الجمركية والضرائب في بلد الوصول، إن وُجدت، يتحملها المستلم.",
                "نرجو أن تشاركونا انطباعاتكم بعد تجربة العينات.",
            ),
            "fr": (
                "Vos échantillons ont été expédiés par courrier express. Je vous enverrai le numéro de suivi dès que le transporteur l'aura confirmé ; la livraison prend généralement de 3 à 7 jours ouvrés, selon le dédouanement. Les droits et taxes d'importation à destination, le cas échéant, sont à la charge du destinataire.",
                "Après avoir testé les échantillons, n'hésitez pas à me faire part de vos impressions.",
            ),
            "de": (
                "Ihre Muster wurden per Expresskurier versandt. Die Sendungsnummer schicke ich Ihnen, sobald der Kurier sie bestätigt hat; die Zustellung dauert je nach Verzollung in der Regel 3 bis 7 Werktage. Eventuelle Einfuhrzölle und Steuern im Zielland trägt der Empfänger.",
                "Nach Ihrem Test freue ich mich über Ihre Rückmeldung zu den Mustern.",
            ),
        },
    },
    {
        "slug": "holiday-closure",
        "title": {
            "en": "Holiday closure",
            "zh-hans": "节假日放假通知",
            "es": "Cierre por festivo",
            "pt": "Fechamento por feriado",
            "ru": "Праздничные выходные",
            "ar": "إغلاق بمناسبة العطلة",
            "fr": "Fermeture pour jour férié",
            "de": "Betriebsruhe am Feiertag",
        },
        "body": {
            "en": (
                "Please note that our factory and office will be closed for the public holiday. During this time production and shipments are paused and replies may take longer; I will answer all messages as soon as we are back. Orders that should ship soon after the holiday need to be confirmed before the closure so that we can plan production.",
                "Thank you for your understanding.",
            ),
            "zh-hans": (
                "特此告知，我们的工厂和办公室将因法定节假日放假。放假期间暂停生产和发货，回复可能会有所延迟，我们回来后会第一时间回复所有消息。如有需要在节后尽快发货的订单，请在放假前确认，以便我们提前安排生产。",
                "感谢您的理解。",
            ),
            "es": (
                "Le informamos de que nuestra fábrica y nuestra oficina permanecerán cerradas por el día festivo. Durante ese periodo la producción y los envíos se detienen y nuestras respuestas pueden tardar más de lo habitual; contestaré todos los mensajes en cuanto volvamos. Si tiene pedidos que deban enviarse poco después del festivo, le rogamos que los confirme antes del cierre para poder planificar la producción.",
                "Gracias por su comprensión.",
            ),
            "pt": (
                "Informamos que a nossa fábrica e o nosso escritório estarão fechados devido ao feriado. Durante esse período, a produção e os embarques ficam suspensos e as respostas podem demorar mais; responderei a todas as mensagens assim que retornarmos. Se você tiver pedidos que precisem ser embarcados logo após o feriado, pedimos que os confirme antes do fechamento para que possamos planejar a produção.",
                "Agradecemos a sua compreensão.",
            ),
            "ru": (
                "Обращаем Ваше внимание, что наш завод и офис будут закрыты в связи с праздником. В этот период производство и отгрузки приостанавливаются, а ответы могут задерживаться; я отвечу на все сообщения сразу после нашего возвращения. Если у Вас есть заказы, которые нужно отгрузить вскоре после праздника, пожалуйста, подтвердите их до закрытия, чтобы мы могли спланировать производство.",
                "Благодарим Вас за понимание.",
            ),
            "ar": (
                "نودّ إعلامكم بأن مصنعنا ومكتبنا سيُغلقان بمناسبة العطلة الرسمية. خلال هذه الفترة يتوقف الإنتاج والشحن، وقد يتأخر الرد على الرسائل، وسأرد على جميع الرسائل فور عودتنا. إذا كانت لديكم طلبات يجب شحنها بعد العطلة مباشرةً، نرجو تأكيدها قبل الإغلاق حتى نتمكن من تخطيط الإنتاج.",
                "نشكركم على تفهمكم.",
            ),
            "fr": (
                "Nous vous informons que notre usine et nos bureaux seront fermés pour le jour férié. Pendant cette période, la production et les expéditions sont suspendues et nos réponses peuvent prendre plus de temps ; je répondrai à tous les messages dès notre retour. Si vous avez des commandes à expédier peu après le jour férié, merci de les confirmer avant la fermeture afin que nous puissions planifier la production.",
                "Merci de votre compréhension.",
            ),
            "de": (
                "bitte beachten Sie, dass unser Werk und unser Büro wegen des Feiertags geschlossen sind. In dieser Zeit ruhen Produktion und Versand, und Antworten können länger dauern; ich beantworte alle Nachrichten, sobald wir zurück sind. Bestellungen, die kurz nach dem Feiertag versandt werden sollen, bestätigen Sie bitte vor der Schließung, damit wir die Produktion einplanen können.",
                "Vielen Dank für Ihr Verständnis.",
            ),
        },
    },
    {
        "slug": "thank-you-for-order",
        "title": {
            "en": "Thank you for your order",
            "zh-hans": "感谢您的订单",
            "es": "Gracias por su pedido",
            "pt": "Agradecimento pelo pedido",
            "ru": "Спасибо за заказ",
            "ar": "شكراً على طلبكم",
            "fr": "Merci pour votre commande",
            "de": "Danke für Ihre Bestellung",
        },
        "body": {
            "en": (
                "Thank you very much for your order and for your trust. We have received your confirmation and production is now being scheduled. I will keep you informed at every step: production, quality inspection, loading and shipping documents.",
                "If you have any questions in the meantime, I am at your disposal.",
            ),
            "zh-hans": (
                "非常感谢您的订单和信任。我们已收到您的确认，正在安排生产排期。生产、质检、装柜和船运单据的每一个环节，我都会及时向您通报。",
                "在此期间如有任何问题，请随时联系我。",
            ),
            "es": (
                "Muchas gracias por su pedido y por su confianza. Hemos recibido su confirmación y ya estamos programando la producción. Le mantendré al tanto en cada etapa: producción, inspección de calidad, carga y documentos de embarque.",
                "Si mientras tanto tiene alguna pregunta, quedo a su disposición.",
            ),
            "pt": (
                "Agradecemos muito o seu pedido e a sua confiança. Recebemos a sua confirmação e a produção já está sendo programada. Vou manter você a par de cada etapa: produção, inspeção de qualidade, carregamento e documentos de embarque.",
                "Se tiver alguma dúvida enquanto isso, estou à sua disposição.",
            ),
            "ru": (
                "Большое спасибо за Ваш заказ и доверие. Мы получили Ваше подтверждение и уже планируем производство. Я буду информировать Вас на каждом этапе: производство, контроль качества, погрузка и отгрузочные документы.",
                "Если у Вас возникнут вопросы, я всегда на связи.",
            ),
            "ar": (
                "نشكركم جزيل الشكر على طلبكم وعلى ثقتكم بنا. لقد استلمنا تأكيدكم ونعمل الآن على جدولة الإنتاج. سأبقيكم على اطلاع في كل مرحلة: الإنتاج، وفحص الجودة، والتحميل، ومستندات الشحن.",
                "إذا كان لديكم أي استفسار في هذه الأثناء، فأنا في خدمتكم.",
            ),
            "fr": (
                "Merci beaucoup pour votre commande et pour votre confiance. Nous avons bien reçu votre confirmation et la production est en cours de planification. Je vous tiendrai au courant à chaque étape : production, contrôle qualité, chargement et documents d'expédition.",
                "Si vous avez des questions d'ici là, je reste à votre disposition.",
            ),
            "de": (
                "herzlichen Dank für Ihre Bestellung und Ihr Vertrauen. Wir haben Ihre Bestätigung erhalten und planen jetzt die Produktion ein. Ich halte Sie bei jedem Schritt auf dem Laufenden: Produktion, Qualitätsprüfung, Verladung und Versanddokumente.",
                "Wenn Sie in der Zwischenzeit Fragen haben, stehe ich Ihnen gern zur Verfügung.",
            ),
        },
    },
)


def _body(response: dict, language: str) -> str:
    paragraphs = (GREETING[language], *response["body"][language], CLOSING[language])
    return "\n\n".join(paragraphs)


@transaction.atomic
def canned_responses_demo_load() -> int:
    """Create or bring back in line the demo canned responses, every language filled in;
    returns how many were created."""
    created_count = 0
    for response in DEMO_CANNED_RESPONSES:
        fields = {}
        for code, _name in settings.LANGUAGES:
            column = code.replace("-", "_")
            fields[f"title_{column}"] = response["title"][code]
            fields[f"body_{column}"] = _body(response, code)
        _canned, created = CannedResponse.objects.update_or_create(
            slug=response["slug"], defaults=fields
        )
        created_count += created
    return created_count
