"""Intent signals: phrases in eight languages that show what a buyer asks for, each with
a weight (2 = enough on its own, 1 = needs support from another signal or from the
classifier). Patterns are folded like the text (lower case, no accents), so they are
written naturally. Latin and Cyrillic patterns get a left word boundary.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import LiteralIndex, fold_pattern, required_literals

INTENTS = (
    "greeting",
    "product_info",
    "price_inquiry",
    "quote_request",
    "negotiation",
    "order_placement",
    "order_status",
    "sample_request",
    "shipping_inquiry",
    "payment_terms",
    "documents_request",
    "complaint",
    "return_refund",
    "human_handoff",
    "thanks_goodbye",
    "other",
)

# EVAL.md: a message with several requests takes the first of these it contains.
PRECEDENCE = (
    "human_handoff",
    "return_refund",
    "complaint",
    "order_status",
    "order_placement",
    "negotiation",
    "quote_request",
    "sample_request",
    "price_inquiry",
    "documents_request",
    "payment_terms",
    "shipping_inquiry",
    "product_info",
    "thanks_goodbye",
    "greeting",
    "other",
)

S, W, H = 2.0, 1.0, 0.5  # strong, weak, hint

_RULES: dict[str, list[tuple[str, float]]] = {
    "human_handoff": [
        (
            r"(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|your|the|some)?\s*(?:real\s+)?(?:human|person|someone|somebody|agent|rep\b|representative|sales\s?(?:rep|person|man|manager|team|department)|manager|boss|supervisor|engineer|colleague)",
            S,
        ),
        (
            r"(?:call|ring|phone)\s+me\b|give\s+me\s+a\s+(?:call|ring)|call\s+me\s+back|(?:can|could)\s+(?:you|someone|somebody|your\s+\w+(?:\s+\w+)?)\s+(?:please\s+)?(?:call|phone|ring)\b",
            S,
        ),
        (
            r"(?:real|actual|live)\s+(?:person|human|agent)|not\s+a\s+(?:bot|robot|machine)|stop\s+the\s+bot|connect\s+me\s+(?:to|with)|transfer\s+me|put\s+me\s+through",
            S,
        ),
        (
            r"(?:schedule|arrange|book|set\s+up|have)\s+a\s+(?:call|phone\s+call|video\s+call|meeting|zoom|teams\s+call)",
            S,
        ),
        (
            r"(?:your|a)\s+(?:sales\s+manager|salesperson|sales\s+rep|account\s+manager)\s+(?:to\s+)?(?:call|contact)",
            S,
        ),
        (
            r"hablar\s+(?:con|directamente\s+con)\s+(?:un|una|el|la|alguien|algun|su|sus)|(?:me\s+)?(?:pueden|puede|podrian|podria)\s+llamar|me\s+llamen|llamenme|llameme|llamame|llamarme|pasar(?:me)?\s+con\s+(?:alguien|un|una|el|la)|una\s+llamada|persona\s+real|(?:un|una)\s+(?:asesor|asesora|ejecutivo|ejecutiva|vendedor|vendedora|agente)\s+(?:humano|de\s+ventas)?|comunicarme\s+con|atencion\s+humana",
            S,
        ),
        (
            r"falar\s+com\s+(?:um|uma|o|a|alguem|algum|seu|sua|vendedor|atendente|humano|pessoa|gerente)|(?:pode|podem|poderia)\s+me\s+ligar|me\s+liga\b|me\s+ligue|me\s+ligar|ligue\s+para\s+mim|uma\s+ligacao|atendente\s+humano|pessoa\s+de\s+verdade",
            S,
        ),
        (
            r"parler\s+(?:a|avec|directement\s+a)\s+(?:un|une|quelqu'un|votre|le|la|vos)|(?:m'|me\s+)(?:appeler|rappeler|telephoner)|appelez[\s-]moi|rappelez[\s-]moi|un\s+appel\s+telephonique|etre\s+(?:rappele|recontacte|contacte)|(?:un\s+de\s+)?vos\s+commerciaux|votre\s+commercial",
            S,
        ),
        (
            r"(?:mit\s+)?(?:einem|einer|jemandem|ihrem|ihrer|dem|der)\s+(?:mitarbeiter|menschen|verkaufer|ansprechpartner|vertrieb\w*|berater|vertriebsleiter|kollegen)\s+(?:sprechen|reden|telefonieren)|ruf(?:en)?\s+(?:sie\s+)?mich\s+(?:bitte\s+)?(?:an|zuruck)|(?:mich|uns)\s+(?:bitte\s+)?(?:an)?rufen|\banrufen\b|\bruckruf|zuruckrufen|jemand\s+(?:aus\s+dem\s+vertrieb|vom\s+vertrieb)|personlich\s+sprechen|telefonat\b",
            S,
        ),
        (
            r"соедините|свяжите\s+меня|переключите|поговорить\s+с|(?:по)?звоните\s+мне|перезвоните|созвониться|созвонимся|позвонить\s+мне|живой\s+(?:человек|оператор|менеджер)|с\s+(?:руководител\w+|менеджер\w+|оператор\w+|человеком)",
            S,
        ),
        (
            r"(?:اتكلم|اكلم|التحدث|اتحدث|التكلم|التواصل|نتكلم|نتحدث)\s+مع|اتصل\s+بي|اتصلوا\s+بي|كلمني|يتصل\s+بي|الاتصال\s+بي|مكالمة|موظف\s+حقيقي|شخص\s+حقيقي",
            S,
        ),
        (
            r"人工|真人|转人工|打电话|打个电话|给我回电|回个电话|回电话|电话联系|联系我|通个电话|找个人|业务经理|销售经理|你们经理|客户经理",
            S,
        ),
        (
            r"sales\s+manager|gerente\s+de\s+ventas|gerente\s+comercial|responsable\s+commercial|vertriebsleiter|руководител\w+\s+отдела\s+продаж|مدير\s+المبيعات",
            W,
        ),
    ],
    "return_refund": [
        (
            r"refund|money\s+back|reimburs|send\s+(?:them|it|these|the\s+\w+)\s+back|return\s+(?:the|them|these|those|it|all|our|\d)|replacement(?!\s+for\s+(?:old|existing|fluorescent|halogen|metal|hid|conventional))|replace\s+(?:them|the|it|these|all|\d)|credit\s+note|compensat|chargeback|rma\b|exchange\s+(?:them|the|it)",
            S,
        ),
        (
            r"reembols|devolucion|devolver|devuelvan|reposicion|reponer|repong\w*|reemplaz|cambien\s+(?:los|las)|sustituci|nota\s+de\s+credito|compensaci|indemniza|cambio\s+de\s+(?:los|las|la|el)\s+(?:producto|unidad|pieza|lampara|foco|bombilla|panel)",
            S,
        ),
        (
            r"reembols|devolucao|devolver|estorno|reposicao|repor\b|substituic|substituir|troca\b|trocar|nota\s+de\s+credito|compensac|indenizac|dinheiro\s+de\s+volta",
            S,
        ),
        (
            r"rembours|retourner|renvoyer\s+(?:les|la|le|ces)|remplacement|remplacer|un\s+avoir|avoir\s+sur|echange\s+(?:des|de\s+la|du)|dedommag|indemnisation",
            S,
        ),
        (
            r"ruckerstatt|erstattung|zuruckschick|zurucksend|rucksendung|retoure|ersatzlieferung|ersatz(?!\s+fur)|ersetzen|austausch|gutschrift|entschadig|geld\s+zuruck|umtausch|nachlieferung",
            S,
        ),
        (
            r"возврат|вернуть\s+(?:деньги|товар|средства)|верните|замен[аыуеи]|заменить|заменой|компенсаци|возмещ|обмен\w*",
            S,
        ),
        (r"استرجاع|استرداد|ارجاع|استبدال|تعويض|اعادة\s+المبلغ|رد\s+المبلغ|ترجيع|بدل\s+التالف", S),
        (r"退款|退货|退钱|换货|补发|赔偿|更换|重发|索赔|退回|退换", S),
    ],
    "complaint": [
        (
            r"defect|faulty|broken|damaged|not\s+work(?:ing)?(?!\s+for\s+(?:us|me))|doesn'?t\s+work(?!\s+for\s+(?:us|me))|don'?t\s+work(?!\s+for\s+(?:us|me))|do\s+not\s+(?:work|light)|stopped\s+working|dead\s+on\s+arrival|\bdoa\b|burn(?:ed|t)\s+out|burnt|flicker|\bfailed|failure|wrong\s+(?:item|colou?r|goods|model|product|quantity|cct|size|voltage|version|led|parts?)|(?:is|are)\s+missing|shortage|short[\s-]shipped|scratch|crack|leak|overheat|rusted|not\s+as\s+described",
            S,
        ),
        (
            r"nobody\s+(?:has\s+)?(?:replied|answered|responded|got\s+back)|no\s+(?:one|body)\s+(?:has\s+)?(?:replied|answered)|no\s+(?:reply|response|answer)\s+(?:yet|from)|still\s+(?:no\s+reply|waiting|haven'?t|not\s+(?:received|arrived|shipped))|(?:very|really|extremely)\s+(?:frustrat|disappoint|upset|angry|unhappy)|frustrat|disappoint|unacceptable|terrible|awful|horrible|poor\s+(?:quality|service|packing|packaging)|bad\s+(?:quality|service)|complain|not\s+happy|worst",
            S,
        ),
        (
            r"delay|delayed|late\s+(?:delivery|shipment)|(?:weeks|days)\s+late|behind\s+schedule|(?:quality|customs)\s+(?:problem|issue)|problem\s+with|issue\s+with|(?:has|have)\s+not\s+(?:arrived|been\s+shipped)",
            W,
        ),
        (
            r"defectuos|danad|\brot[oa]s?\b|no\s+(?:funciona|encienden|enciende|prenden|prende|sirven|llegaron\s+completos)|quemad|parpade|falla[ns]?\b|fallando|equivocad|incorrect[oa]s|faltan|faltante|vienen\s+con\s+(?:\w+\s+){0,3}(?:rot|danad|quebrad|rayad|golpead|defect|quemad|mojad)|llegaron\s+(?:rotos|danados|mal)|vidrio\s+roto|rayad",
            S,
        ),
        (
            r"nadie\s+(?:me\s+)?(?:responde|contesta)|sin\s+respuesta|reclamo|queja|inaceptable|decepcionad|pesim|mala\s+calidad|muy\s+molest|estoy\s+molest|indignad|retraso|demora\s+(?:en|de)\s+(?:la|el)\s+(?:entrega|envio|pedido|despacho)|atrasad",
            S,
        ),
        (
            r"defeito|defeituos|danificad|quebrad|nao\s+(?:funciona|acende|acendem|liga|ligam)|queimad|piscando|pisca\b|falha|errad[oa]s?|faltando|faltou|vieram\s+com\s+(?:\w+\s+){0,3}(?:quebrad|danificad|riscad|amassad|defeit|queimad|molhad|microfissur|trincad)|chegou\s+com\s+(?:\w+\s+){0,3}(?:quebrad|danificad|riscad|amassad|defeit|queimad|molhad|microfissur|trincad|\d+)|microfissur|trincad|amassad|riscad",
            S,
        ),
        (
            r"ninguem\s+(?:responde|retorna)|sem\s+resposta|reclamac|inaceitavel|decepcionad|pessim|ma\s+qualidade|nao\s+pode\s+acontecer|absurdo|atraso|atrasad",
            S,
        ),
        (
            r"defectueu|defaut|casse[es]?\b|endommag|ne\s+(?:fonctionne|marche|s'allume|s'allument|fonctionnent|marchent)|grille[es]?\b|clignot|en\s+panne|erreur\s+de|au\s+lieu\s+d[eu]|manquant|raye[es]?\b|fissur",
            S,
        ),
        (
            r"toujours\s+(?:rien|pas|aucune)|aucune\s+(?:nouvelle|reponse)|sans\s+reponse|reclamation|plainte|inadmissible|inacceptable|decu[es]?\b|mecontent|mauvaise\s+qualite|retard",
            S,
        ),
        (
            r"defekt|beschadig|kaputt|funktionier\w*\s+nicht|leucht\w*\s+nicht|durchgebrannt|flacker|ausgefallen|falsch\w*\s+(?:farbe|ware|artikel|lieferung|modell|menge)|(?:fehlt|fehlen)\b|verzogerung|verspat|immer\s+noch\s+(?:nicht|keine)|keine\s+antwort|reklamation|beschwerde|inakzeptabel|enttausch|\bmies|schlechte\s+qualitat|mangelhaft|zerkratzt|gerissen|unzufrieden|argerlich|schwierigkeiten|unmoglich",
            S,
        ),
        (
            r"брак|бракован|дефект|поврежд|разбит|сломан|не\s+работа|не\s+гор[ия]т|не\s+включа|сгорел|мерца|мига[ею]т|неисправн|не\s+т(?:от|е|у)\s+(?:товар|цвет|модел)|перепутал|недостач|не\s+хватает|задержк|опозда|до\s+сих\s+пор|нет\s+ответа|не\s+можем\s+(?:получить|дозвониться|добиться)|никто\s+не\s+отвечает|претензи|жалоб|недопустим|недовольн|ужасн|плохое\s+качество|отвратительн|безобрази",
            S,
        ),
        (
            r"تالف|معيب|عيوب|مكسور|لا\s+(?:تعمل|يعمل|تضيء|تضيئ|يضيء|تشحن|تشتغل|يشتغل)|محروق|احترق|يومض|غلط|ناقص|نقص\s+في|تاخير|متاخر|لم\s+(?:يصل|تصل)\s+بعد|لا\s+يوجد\s+رد|ما\s+حد\s+رد|لا\s+احد\s+يرد|شكوى|غير\s+مقبول|سيئ|رديئ|مستاء|زعلان|مشكلة\s+في|خطا\s+في",
            S,
        ),
        (
            r"不亮|坏了|损坏|破损|质量问题|质量差|质量太差|有问题|故障|闪烁|烧了|烧坏|发错|错了|少发|少了|漏发|延迟|推迟|拖延|还没到|还没收到|没人回|没回复|不回复|投诉|不满意|太差|怎么搞的|怎么回事|生气|失望|碎了|裂了|不能用",
            S,
        ),
        (r"problem|problema|probleme|проблем|مشكلة|问题", W),
    ],
    "order_status": [
        (
            r"(?:order|shipment|po|container|consignment|delivery)\s+(?:status|update|tracking)|status\s+(?:of|on)\s+(?:my|our|the|this)\s+(?:order|shipment|po|delivery|container)|(?:any\s+)?(?:update|news)\s+on\s+(?:my|our|the|this)?\s*(?:order|shipment|po\b|so\b|delivery|container)",
            S,
        ),
        (
            r"where\s+(?:is|are)\s+(?:my|our|the)\s+(?:order|shipment|container|goods|delivery|parcel|cargo)|(?:has|have|is|are|was|were)\s+(?:it|they|my\s+order|our\s+order|the\s+goods|the\s+shipment|the\s+order)\s+(?:been\s+|already\s+)?(?:shipped|dispatched|sent|loaded|produced|left)|shipped\s+yet|(?:left|leave)\s+the\s+port|production\s+status|still\s+in\s+production|track\s+(?:my|our)\b",
            S,
        ),
        (
            r"(?:tracking|container|b/?l|awb|bl)\s+(?:number|no\.?|code|link|#)|tracking\s+(?:info|details)",
            1.2,
        ),
        (
            r"when\s+will\s+(?:my|our|the)\s+(?:order|goods|shipment|container|delivery)\s+(?:arrive|ship|be\s+(?:ready|shipped|delivered))|expected\s+(?:arrival|ship(?:ping|ment)?\s+date)|\beta\b|\betd\b|vessel\s+(?:name|schedule)",
            S,
        ),
        (
            r"estado\s+(?:de(?:l)?|en\s+que)\s+(?:mi|nuestro|el)?\s*(?:pedido|orden|embarque|envio)|cuando\s+(?:sale|salen|llega|llegan|despachan|embarcan|envian|estara|estaran)\s+(?:mi|el|nuestro|la|nuestra)\s+(?:pedido|orden|mercaderia|mercancia|carga|contenedor)|en\s+que\s+estado\s+(?:esta|va)|como\s+va\s+(?:mi|el|nuestro)\s+(?:pedido|orden|embarque)|ya\s+(?:despacharon|enviaron|embarcaron|salio|salieron|esta\s+listo|estan\s+listos|entro\s+a\s+produccion)|numero\s+de\s+(?:contenedor|seguimiento|guia|tracking|bl|booking)|seguimiento\s+(?:de|del)|fecha\s+estimada\s+de\s+(?:llegada|arribo|embarque)|fecha\s+de\s+(?:llegada|arribo)|cuando\s+llega|novedades\s+(?:de|del|sobre)\s+(?:mi|el|nuestro)\s+pedido|en\s+produccion",
            S,
        ),
        (
            r"status\s+do\s+(?:pedido|embarque)|situacao\s+do\s+pedido|andamento\s+do\s+pedido|ja\s+(?:embarcou|enviaram|saiu|despacharam|foi\s+enviado|foi\s+embarcado|esta\s+pronto)|previsao\s+de\s+(?:chegada|embarque|entrega)|rastreio|rastreamento|codigo\s+de\s+rastreio|numero\s+do\s+(?:container|conteiner|bl)|tracking\s+do|em\s+producao|quando\s+chega",
            S,
        ),
        (
            r"etat\s+d'avancement|(?:etat|statut)\s+de\s+(?:ma|notre|la)\s+commande|ou\s+en\s+est\s+(?:ma|notre|la)\s+commande|deja\s+(?:expedie|parti|charge)|date\s+d'expedition\s+prevue|numero\s+de\s+(?:suivi|conteneur|tracking|bl)|suivi\s+de\s+(?:ma|notre|la)\s+commande|date\s+d'arrivee\s+prevue|quand\s+(?:arrive|arrivera|partira)\s+(?:ma|notre|la)\s+commande|en\s+production",
            S,
        ),
        (
            r"status\s+(?:der|unserer|meiner|zur)\s+(?:bestellung|lieferung|auftrag)|wie\s+ist\s+der\s+stand|stand\s+(?:bei|der|unserer|zu)|wo\s+(?:ist|bleibt)\s+(?:meine|unsere|die)\s+(?:bestellung|lieferung|ware|sendung)|schon\s+(?:versendet|verschifft|verladen|unterwegs|in\s+produktion|fertig)|sendungsverfolgung|containernummer|voraussichtliche\s+ankunft|ankunftszeit|wann\s+(?:kommt|wird|ist)\s+(?:die|unsere|meine)\s+(?:ware|lieferung|bestellung|sendung)|in\s+produktion",
            S,
        ),
        (
            r"статус\s+заказа|что\s+(?:по|с)\s+(?:нашему|нашим|моему|нашей|заказ)|где\s+(?:наш|мой)\s+(?:заказ|груз|контейнер)|когда\s+(?:будет\s+)?отгрузк|когда\s+(?:будет|придет|прибудет|отгрузите|отправите)|уже\s+(?:отгрузили|отправили|в\s+производстве|готов)|трек[\s-]?номер|номер\s+(?:контейнера|коносамента|отслеживания)|отслеживани|на\s+какой\s+стадии|дата\s+прибытия|в\s+пути\b|статус\s+(?:отгрузки|поставки|груза)",
            S,
        ),
        (
            r"حالة\s+(?:ال)?(?:طلب|طلبية|شحنة|الطلبية)|تحديث\s+عن|متى\s+(?:موعد\s+)?(?:شحن|وصول|يصل|تصل|سيصل|ستصل|يتم\s+شحن)|هل\s+تم\s+(?:شحن|ارسال)|تم\s+الشحن\s*\?|رقم\s+(?:التتبع|الحاوية|البوليصة)|تتبع\s+(?:ال)?(?:شحنة|طلب)|(?:وين|اين)\s+(?:ال)?(?:طلب|شحنة|بضاعة|طلبية)|موعد\s+(?:ال)?وصول",
            S,
        ),
        (
            r"生产到哪|进度|发货了吗|出货了吗|发了吗|到哪了|什么时候(?:能)?(?:出货|发货|到港|到货|能到|装柜|开船)|物流信息|物流单号|单号|柜号|船期|到港时间|提单号|货到哪",
            S,
        ),
        (
            r"(?:our|my|the\s+last|our\s+last|our\s+current)\s+(?:order|shipment)|nuestro\s+(?:ultimo\s+)?pedido|nosso\s+(?:ultimo\s+)?pedido|notre\s+commande|unsere[rn]?\s+(?:aktuelle[rn]?\s+)?bestellung|нашему\s+заказу|нашего\s+заказа|طلبيتنا|طلبنا|我们的订单|我的订单",
            H,
        ),
        (
            r"status|estado|situacao|statut|stand\b|статус|حالة|状态|shipped|despach|embarc|expedi|verschiff|отгруз|شحن|出货|发货",
            H,
        ),
    ],
    "order_placement": [
        (
            r"(?:we|i)\s+(?:hereby\s+)?(?:confirm|accept|approve)\s+(?:the|your|this|our)?\s*(?:order|pi\b|proforma|quote|quotation|offer|price|deal|po\b)|confirm(?:ed)?\s+(?:the\s+)?(?:order|pi\b|proforma)|order\s+(?:is\s+)?confirmed|place\s+(?:an|the|our|my|a\s+trial)\s+order|(?:want|would\s+like|wish|ready|going)\s+to\s+(?:place\s+(?:an|the)\s+order|order\b|proceed|go\s+ahead|buy\b|purchase\b)|go\s+ahead\s+(?:with|and)|proceed\s+with\s+(?:the\s+)?(?:order|pi|purchase|payment)|purchase\s+order\s+(?:attached|no|number)|po\s+attached|here\s+is\s+our\s+po|we(?:'ll|\s+will)\s+take\s+(?:it|them|the)|deal\s*[!.]|it'?s\s+a\s+deal|we\s+agree\s+(?:to|with)\s+(?:the|your)\s+(?:price|terms|offer)",
            S,
        ),
        (
            r"(?:send|issue)\s+(?:us\s+|me\s+)?(?:the\s+|your\s+)?(?:bank\s+details|banking\s+details|pi\s+(?:so|for)|proforma\s+invoice\s+(?:so|for))|(?:pay|transfer|send)\s+the\s+(?:deposit|advance)\s+(?:today|tomorrow|this\s+week|now)",
            S,
        ),
        (
            r"confirm(?:amos|o)\s+(?:el|la|nuestro|nuestra|su)?\s*(?:pedido|orden|proforma|cotizacion|compra|oferta)|confirmamos\b|aceptamos\s+(?:la|el|su)\s+(?:cotizacion|oferta|proforma|precio|propuesta)|(?:hacer|realizar|colocar)\s+(?:un|el|nuestro)\s+pedido|(?:quiero|queremos|quisiera|quisieramos)\s+(?:comprar|pedir|ordenar|proceder|hacer\s+(?:el|un)\s+pedido)|procedamos|adelante\s+con|cerramos\s+(?:el|la)|trato\s+hecho|orden\s+de\s+compra|datos\s+bancarios|hacemos\s+la\s+transferencia|(?:mandar|enviar|pagar)\s+el\s+anticipo",
            S,
        ),
        (
            r"confirm(?:amos|o)\s+(?:o|a|nosso|nossa)?\s*(?:pedido|proforma|cotacao|compra|proposta)|pode\s+fechar|(?:esta\s+)?fechado\s*[!.]|vamos\s+fechar(?!\s+\d)|fechamos\b|aceitamos\s+(?:a|o|sua)\s+(?:cotacao|proposta|oferta|preco|proforma)|(?:fazer|colocar)\s+(?:um|o)\s+pedido|(?:quero|queremos|gostariamos\s+de)\s+(?:comprar|fechar\s+(?:o|a)|fazer\s+o\s+pedido|encomendar)|pode\s+seguir|ordem\s+de\s+compra|dados\s+bancarios|manda\s+a\s+proforma\s+pra",
            S,
        ),
        (
            r"nous\s+confirmons|je\s+confirme|on\s+valide|nous\s+validons|valider\s+(?:la|le|votre)\s+(?:proforma|commande|devis|offre)|passer\s+(?:une|la|notre)\s+commande|bon\s+de\s+commande|c'est\s+bon\s+pour\s+nous|nous\s+acceptons\s+(?:votre|le|la)\s+(?:offre|devis|proforma|prix)|nous\s+commandons|coordonnees\s+bancaires|on\s+part\s+sur",
            S,
        ),
        (
            r"bestatigen\s+(?:wir\s+)?(?:hiermit\s+)?(?:ihr|das|die|den|unsere[nm]?)\s+(?:angebot|auftrag|bestellung|proforma)|hiermit\s+(?:bestellen|bestatigen)|bestellen\s+(?:hiermit|wir)|(?:und|wir)\s+bestellen\s+\d|(?:wir|ich)\s+(?:mochten|wurden\s+gerne|wollen)\s+(?:gerne\s+)?(?:bestellen|kaufen|den\s+auftrag)|auftrag\s+(?:erteilen|bestatigt|vergeben)|bestellung\s+(?:aufgeben|erteilen|bestatigt)|wir\s+nehmen\s+(?:das|die|den)|bankverbindung|anzahlung\s+(?:uberweisen|leisten|uberwiesen)",
            S,
        ),
        (
            r"подтверждаем\s+(?:заказ|кп|счет|предложение|покупку)|подтверждаем\b|подтверждаю\s+заказ|оформ(?:ить|ляем)\s+заказ|сделать\s+заказ|разместить\s+заказ|хотим\s+(?:заказать|купить|оформить)|заказываем|берем\b|(?:выставляйте|высылайте|выставите|пришлите)\s+сч[её]т|сч[её]т\s+на\s+(?:оплату|предоплату)|готовы\s+оплатить|реквизиты",
            S,
        ),
        (
            r"نؤكد\s+(?:ال)?طلب|نؤكد\b|اؤكد\s+(?:ال)?طلب|تاكيد\s+الطلب|(?:نريد|اريد|نود)\s+(?:ان\s+)?(?:نطلب|اطلب|شراء|نشتري|الطلب)|نوافق\s+على\s+(?:ال)?(?:عرض|سعر)|موافقين\s+على|(?:سنحول|هنحول|نحول|سنرسل)\s+(?:ال)?(?:عربون|دفعة)|بيانات\s+(?:ال)?(?:بنك|حساب)|حسب\s+الفاتورة\s+المبدئية",
            S,
        ),
        (
            r"下单|确认订单|确认(?:这个)?pi|就按pi|按pi|按这个价(?:格)?(?:下单|做)|可以下单|成交|签合同|定了|就这么定|安排生产|付定金|打定金|安排.{0,6}定金|银行信息|账户信息|收款账户",
            S,
        ),
        (
            r"\border\b|\bpedido\b|\bpedir\b|\bencomenda|\bcommander\b|\bbestellen\b|заказать|اطلب|订购|采购",
            H,
        ),
    ],
    "negotiation": [
        (
            r"discount|too\s+(?:high|expensive|pricey|much|costly)|(?:very|quite|bit|so)\s+expensive|cheaper|lower\s+(?:the\s+|your\s+)?price|(?:reduce|drop|cut)\s+(?:the\s+|your\s+)?price|price\s+reduction|(?:can|could)\s+(?:you|u)\s+(?:do|match|beat|give\s+(?:us|me)\s+a\s+better)|\bmatch\s+(?:that|this|it|their|the|his|her)|\bbeat\s+(?:that|their|the)|(?:is|are)\s+(?:offering|quoting|selling)|sells?\s+(?:at|for)\s+\$|quoted\s+(?:us|me)|(?:above|higher\s+than)\s+(?:the\s+)?market|come\s+down|flexib\w+\s+on\s+(?:the\s+)?price|negotiat|(?:last|final|bottom|rock[\s-]bottom)\s+price|better\s+(?:price|deal|offer)|price\s+(?:is|seems)\s+(?:high|a\s+bit\s+high|not\s+competitive)|not\s+competitive|doesn'?t\s+work\s+for\s+us",
            S,
        ),
        (
            r"descuento|rebaja|(?:muy|bastante|demasiado)\s+car[oa]s?|mas\s+barat|bajar\s+(?:el|su)\s+precio|mejor(?:ar)?\s+(?:el\s+)?precio|igualar|por\s+encima\s+del\s+mercado|precio\s+(?:muy\s+)?(?:alto|elevado)|nos\s+(?:ofrece|ofrecen|cotiza)|negociar|ultimo\s+precio|hacen\s+descuento|rebajar",
            S,
        ),
        (
            r"desconto|(?:muito|bem|bastante)\s+car[oa]s?|mais\s+barat|baixar\s+o\s+preco|melhor(?:ar)?\s+(?:o\s+)?preco|cobrir\s+(?:a\s+)?oferta|acima\s+do\s+que|(?:nos|me)\s+oferece|negociar|abaixar|preco\s+(?:muito\s+)?alto|ficou\s+acima",
            S,
        ),
        (
            r"remise|reduction|trop\s+cher|trop\s+eleve|moins\s+cher|baisser\s+(?:le|votre|vos)\s+prix|meilleur\s+prix|faire\s+un\s+effort|geste\s+commercial|(?:vous\s+)?aligner|nous\s+propose|negocier|rabais|ristourne|prix\s+(?:est\s+)?(?:trop\s+)?eleve",
            S,
        ),
        (
            r"rabatt|nachlass|zu\s+teuer|(?:preis|preise)\s+(?:ist|sind)\s+(?:leider\s+)?(?:zu\s+)?hoch|zu\s+hoch|gunstiger|billiger|preis\s+senken|besseren\s+preis|entgegenkommen|geht\s+da\s+noch\s+was|mitziehen|bieten\s+uns|verhandeln|sonderpreis|preisnachlass",
            S,
        ),
        (
            r"скидк|дорого|дороговат|(?:цена|цены)\s+(?:для\s+нас\s+)?(?:высок|завышен)|высокая\s+цена|дешевле|снизить\s+цену|снизьте|уступит|лучшую\s+цену|пересмотреть\s+цену|нам\s+предлагают|предлагают\s+по|торг\w*|специальн\w+\s+цен|можете\s+сделать\s+(?:по|за)?\s*\d",
            S,
        ),
        (
            r"خصم|تخفيض|غالي|مرتفع|ارخص|تنزيل\s+السعر|افضل\s+سعر|السعر\s+عالي|منافس|نطلب\s+سعر|تفاوض|سعر\s+خاص|تقليل\s+السعر|عروض\s+\w+\s+في\s+السوق",
            S,
        ),
        (
            r"折扣|便宜|优惠|太贵|太高|贵了|降价|降点|让点|(?<!报)(?<!报个)(?<!给个)最低价|底价|别家|其他供应商|同款|再低|还价|砍价|议价|特价|价格高",
            S,
        ),
        (
            r"competitor|competencia|concorren|concurren|wettbewerb|konkurren|конкурент|المنافس|竞争对手",
            W,
        ),
    ],
    "quote_request": [
        (
            r"quot(?:e|es|ation|ations|ing)\b|\brfq\b|request\s+for\s+(?:quote|quotation|price|proposal)|proforma|\bpi\b|(?:best|your)\s+(?:price|offer|prices)\s+for|send\s+(?:us|me)\s+(?:your\s+)?(?:best\s+)?(?:prices?|offer)|price\s+list|prices\s+for\s+the\s+following|pricing\s+for",
            S,
        ),
        (
            r"cotizaci|cotizar|cotice|cotizen|presupuesto|proforma|(?:su\s+)?mejor\s+oferta|oferta\s+(?:para|de\s+precio)|lista\s+de\s+precios|pasar\s+precio|pasen\s+precio",
            S,
        ),
        (
            r"cotacao|cotar|orcamento|proposta\s+(?:para|comercial|de\s+preco)|solicitamos\s+proposta|proforma|lista\s+de\s+precos|me\s+passa\s+(?:o\s+)?preco",
            S,
        ),
        (
            r"devis|cotation|(?:meilleure\s+)?offre\s+(?:de\s+prix|pour)|votre\s+meilleure\s+offre|proforma|liste\s+de\s+prix|tarif\s+pour",
            S,
        ),
        (r"angebot|preisanfrage|anfrage\b|proforma|preisliste|kostenvoranschlag", S),
        (
            r"\bкп\b|коммерческ\w+\s+предложени|предложение\s+(?:на|по)|прайс|проформ|просим\s+(?:выставить|направить|прислать|рассчитать)|расчет\s+(?:стоимости|цены)|выставить\s+(?:кп|счет)",
            S,
        ),
        (r"عرض\s+(?:ال)?(?:سعر|اسعار)|تسعير|فاتورة\s+مبدئية|بروفورما|قائمة\s+(?:ال)?اسعار", S),
        (r"报价|报个价|询价|报价单|形式发票|价格表|价目表", S),
    ],
    "sample_request": [
        (
            r"samples?|muestras?|amostras?|echantillons?|\bmuster\b|образ(?:ец|цы|ца|цов|чик)|عين(?:ة|ات|تين|ه)|样品|样板|样灯|试样|拿样|寄样",
            S,
        ),
    ],
    "price_inquiry": [
        (
            r"how\s+much|\bprice\b|\bprices\b|\bcost\b|\bcosts\b|pricing|what(?:'s|\s+is)\s+(?:the\s+)?(?:price|cost|rate)|unit\s+price|\brate\b",
            S,
        ),
        (r"cuanto\s+(?:cuesta|sale|vale|esta|cuestan|salen|valen)|\bprecio|\bvalor\b|costo\b", S),
        (r"quanto\s+(?:custa|sai|fica|e|custam|saem)|\bpreco|qual\s+o\s+valor|\bvalor\b", S),
        (r"combien|\bprix\b|\btarif|coute|coutent", S),
        (r"was\s+kosten?|\bpreis|kostet", S),
        (r"сколько\s+стоит|сколько\s+стоят|\bцен[аыуе]\b|стоимост|почем|по\s+ч[её]м", S),
        (r"بكم|كم\s+(?:ال)?(?:سعر|ثمن|تكلفة|يكلف)|السعر|سعر|ثمن", S),
        (r"多少钱|什么价|价格|价钱|单价|多少一|怎么卖", S),
    ],
    "documents_request": [
        (
            r"data\s?sheet|spec(?:ification)?\s+sheet|catalog|catalogue|brochure|\bies\b|lm[\s-]?80|lm[\s-]?79|test\s+report|commercial\s+invoice|packing\s+list|certificate\s+of\s+origin|\bform\s+[ae]\b|(?<!against\s)(?<!against\sthe\s)(?<!against\sa\s)(?:b/?l\s+copy|copy\s+of\s+(?:the\s+)?(?:b/?l|invoice|bill))|bill\s+of\s+lading|\bmsds\b|\bsds\b|user\s+manual|installation\s+(?:manual|guide)|drawings|company\s+profile|declaration\s+of\s+conformity|\bdoc\b|photos\s+of",
            S,
        ),
        (
            r"(?:send|share|provide|forward|email|attach)\s+(?:us\s+|me\s+)?(?:the\s+|your\s+|a\s+copy\s+of\s+(?:the\s+)?)?(?:\w+\s+){0,3}(?:certificates?|invoice|documents?|docs|report|files?|specs?|specifications|pictures|photos|manual)",
            S,
        ),
        (
            r"ficha\s+tecnica|catalogo|folleto|hoja\s+de\s+datos|lista\s+de\s+empaque|certificado\s+de\s+origen|factura\s+comercial|(?:envi|mand|pas)\w*\s+(?:\w+\s+){0,4}(?:certificado|factura|documentos|manual|fotos)",
            S,
        ),
        (
            r"ficha\s+tecnica|catalogo|folheto|folha\s+de\s+dados|romaneio|certificado\s+de\s+origem|commercial\s+invoice|fatura\s+comercial|(?:envi|mand|pass)\w*\s+(?:\w+\s+){0,4}(?:certificado|fatura|documentos|manual|fotos)",
            S,
        ),
        (
            r"fiche\s+technique|catalogue|liste\s+de\s+colisage|certificat\s+d'origine|declaration\s+de\s+conformite|notice\b|documentation|(?:envoy|transmett|fourni)\w*\s+(?:\w+\s+){0,4}(?:certificat|facture|documents|manuel|photos)",
            S,
        ),
        (
            r"datenblatt|katalog|konformitatserklarung|handelsrechnung|packliste|ursprungszeugnis|prufbericht|(?:schick|send|ubermittel)\w*\s+(?:\w+\s+){0,5}(?:zertifikat|rechnung|unterlagen|dokumente|handbuch|anleitung|fotos)",
            S,
        ),
        (
            r"каталог|datasheet|техническ\w+\s+(?:описани|паспорт|документаци)|паспорт\s+(?:изделия|на)|инвойс|упаковочн\w+\s+лист|пакинг|сертификат\s+происхождения|\bст-1\b|декларац|(?:пришлите|вышлите|направьте|отправьте|скиньте|прислать|выслать)[\s,]+(?:\w+[\s,]+){0,4}(?:сертификат|документ|инструкци|фото|спецификаци|счет-фактур|паспорт)|паспорт\w*\s+(?:изделия|на|к)|инструкци\w+\s+(?:по|на|к)",
            S,
        ),
        (
            r"كتالوج|الكتالوج|ورقة\s+(?:ال)?بيانات|(?:ال)?مواصفات\s+(?:ال)?فنية|فاتورة\s+تجارية|قائمة\s+(?:ال)?تعبئة|شهادة\s+(?:ال)?منشا|(?:ارسل|ارسلوا|ابعث|ابعتوا|زودونا|زودنا)\s+(?:\w+\s+){0,4}(?:شهادة|شهادات|الفاتورة|مستندات|وثائق|صور|دليل)",
            S,
        ),
        (
            r"规格书|说明书|产品目录|目录|图册|彩页|检测报告|测试报告|装箱单|产地证|原产地证|ies文件|(?:发|寄|传|提供)(?:一下|下|个|给我)?.{0,8}(?:证书|报告|发票|资料|单据|图片|照片)",
            S,
        ),
        (
            r"certificate|certificado|certificat|zertifikat|сертификат|شهادة|证书|invoice|factura|fatura|facture|rechnung|счет-фактур|فاتورة|发票",
            W,
        ),
    ],
    "payment_terms": [
        (
            r"against\s+(?:the\s+|a\s+)?(?:copy\s+of\s+(?:the\s+)?)?b/?l|balance\s+against|payment\s+(?:terms|methods?|options|conditions)|how\s+(?:can|do|should)\s+(?:we|i)\s+pay|\bl/?c\b|letter\s+of\s+credit|\bt/?t\b|wire\s+transfer|bank\s+transfer|\bdeposit\b|balance\s+(?:before|against|after)|advance\s+payment|credit\s+(?:terms|line|period)|net\s+\d\d|days?\s+credit|open\s+account|\bd/?p\b|paypal|western\s+union|trade\s+assurance|escrow|installments?|pay\s+(?:in|by|with|after)|accept\s+(?:l/?c|t/?t|payment)",
            S,
        ),
        (
            r"formas?\s+de\s+pago|condiciones\s+de\s+pago|carta\s+de\s+credito|anticipo|pago\s+(?:a|al|por|con|contra)|transferencia\s+bancaria|credito\s+a\s+\d",
            S,
        ),
        (
            r"formas?\s+de\s+pagamento|condicoes\s+de\s+pagamento|carta\s+de\s+credito|pagamento\s+(?:antecipado|a|em|por|no)|antecipado|boleto|transferencia\s+bancaria|aceitam\s+(?:carta|lc|tt|pix)|\btt\b",
            S,
        ),
        (
            r"conditions\s+de\s+paiement|modalites\s+de\s+paiement|moyens?\s+de\s+paiement|paiement\s+(?:a|par|en)|lettre\s+de\s+credit|credit\s+documentaire|acompte|virement|payer\s+(?:par|en|a)",
            S,
        ),
        (
            r"zahlungsbedingungen|zahlungsziel|zahlungsart|zahlungsmoglichkeit|akkreditiv|vorkasse|anzahlung|uberweisung|zahlung\s+(?:per|nach|bei|in)|skonto",
            S,
        ),
        (
            r"условия\s+оплаты|способ\w*\s+оплаты|форм\w+\s+оплаты|аккредитив|предоплат|отсрочк|оплат\w+\s+(?:по|после|при|в)|работаете\s+по|банковск\w+\s+перевод",
            S,
        ),
        (
            r"طريقة\s+الدفع|طرق\s+الدفع|شروط\s+الدفع|الدفع\s+(?:ب|عن|عند|على)|خطاب\s+(?:ال)?اعتماد|اعتماد\s+مستندي|(?:ال)?دفعة\s+(?:ال)?مقدمة|تحويل\s+بنكي|الدفع\s+الاجل|بالتقسيط",
            S,
        ),
        (r"付款|付款方式|信用证|定金|预付|尾款|账期|电汇|赊账|分期", S),
    ],
    "shipping_inquiry": [
        (
            r"shipping\s+(?:cost|costs|time|method|options|rate|fee|charges)|freight|transit\s+time|by\s+(?:sea|air|rail|train|truck|express|courier)|sea\s+(?:freight|shipment)|air\s+(?:freight|shipment)|\blcl\b|\bfcl\b|consolidat|forwarder|how\s+long\s+(?:does\s+it\s+take|to\s+(?:ship|deliver|arrive))|door\s+to\s+door|customs\s+clearance|import\s+(?:duty|duties|tax)|\bddp\s+shipping|ship\s+to\s+\w+\?|delivery\s+time\s+to|(?:do\s+you|can\s+you)\s+ship\s+to",
            S,
        ),
        (
            r"\bflete\b|tiempo\s+de\s+transito|transito\s+maritimo|(?:envio|transporte)\s+(?:maritimo|aereo|terrestre)|por\s+(?:mar|barco|avion|aereo)|consolidado|agente\s+de\s+carga|despacho\s+aduanero|cuantos\s+dias\s+(?:tarda|demora)|demora\s+el\s+envio|costo\s+(?:del\s+)?envio",
            S,
        ),
        (
            r"\bfrete\b|tempo\s+de\s+transito|transito\s+maritimo|(?:envio|transporte)\s+(?:maritimo|aereo)|agente\s+de\s+carga|desembaraco|quantos\s+dias\s+(?:leva|demora)|por\s+(?:navio|aviao|mar)",
            S,
        ),
        (
            r"\bfret\b|delai\s+de\s+transit|transit\s+maritime|transport\s+(?:maritime|aerien)|transitaire|dedouanement|combien\s+de\s+(?:jours|temps)\s+(?:pour|de\s+transport)|par\s+(?:bateau|avion|mer)|groupage",
            S,
        ),
        (
            r"fracht|seefracht|luftfracht|bahntransport|per\s+bahn|transportzeit|laufzeit|spedition|verzollung|zollabfertigung|einfuhrzoll|zollgebuhr\w*|versandkosten(?!\s+ubernehmen)|wie\s+lange\s+dauert\s+(?:der\s+)?(?:transport|versand|die\s+lieferung)",
            S,
        ),
        (
            r"срок\s+доставки|стоимость\s+доставки|фрахт|морем|авиа\w*|\bж/?д\b|железн\w+\s+дорог|экспедитор|растаможк|таможн|сколько\s+(?:дней|идет)\s+(?:доставка|груз)|доставк\w+\s+(?:до|в)",
            S,
        ),
        (
            r"(?:تكلفة|تكاليف|سعر|مدة)\s+(?:ال)?شحن|الشحن\s+(?:ال)?(?:بحري|جوي)|شحن\s+(?:بحري|جوي)|وكيل\s+(?:ال)?شحن|(?:ال)?تخليص\s+(?:ال)?جمركي|كم\s+يوم\s+(?:تستغرق|ياخذ)|مدة\s+الرحلة|الجمارك",
            S,
        ),
        (r"运费|海运|空运|铁路|拼箱|整柜|货代|清关|物流方式|多少天(?:能)?到|时效|快递费", S),
        (
            r"shipping|envio|envío|transporte|frete|livraison|versand|доставк|الشحن|运输|delivery\s+cost",
            W,
        ),
    ],
    "product_info": [
        (
            r"spec(?:s|ification)?\b|certifi(?:ed|cation)|\bul\b|\bce\b|rohs|\bip\s?6\d|ip\s+rating|waterproof|lumens?|\blm/w|efficien|\bcri\b|\bcct\b|colou?r\s+temp|beam\s+angle|dimmable|dimming|\bdali\b|driver|warrant|guarantee|lifespan|life\s?span|\bmoq\b|minimum\s+order|lead\s+time|production\s+time|in\s+stock|\bstock\b|availab|compare|comparison|difference\s+between|\bvs\.?\b|versus|compatible|suitable|dimensions|weight|voltage|cycles|tier\s?1|\boem\b|\bodm\b|logo|customi[sz]|how\s+many\s+(?:years|hours|lumens|cycles|watts)|does\s+it\s+(?:come|have|support|work)|is\s+it\s+(?:dimmable|waterproof|certified)",
            S,
        ),
        (
            r"especificacion|certificad|certificacion|garantia|vida\s+util|lumenes|eficiencia|regulable|dimerizable|temperatura\s+de\s+color|pedido\s+minimo|cantidad\s+minima|plazo\s+de\s+(?:fabricacion|produccion|entrega)|tiempo\s+de\s+(?:fabricacion|produccion|entrega)|\bstock\b|tienen\s+(?:en\s+)?existencia|disponib|compara|diferencia|compatible|sirve\s+para|medidas|ciclos|personaliz",
            S,
        ),
        (
            r"especificac|certificac|certificad|garantia|vida\s+util|lumens|eficiencia|dimerizavel|temperatura\s+de\s+cor|pedido\s+minimo|quantidade\s+minima|prazo\s+de\s+(?:producao|fabricacao|entrega)|estoque|disponiv|compar|diferenca|compativel|ciclos|personaliz|vem\s+com",
            S,
        ),
        (
            r"caracteristiques|specifications?|certifie|certification|garantie|duree\s+de\s+vie|lumens|efficacite|dimmable|gradable|temperature\s+de\s+couleur|quantite\s+minimum|minimum\s+de\s+commande|delai\s+de\s+(?:fabrication|production|livraison)|en\s+stock|disponib|compar|difference|compatible|cycles|personnalis",
            S,
        ),
        (
            r"technische\s+daten|spezifikation|zertifiziert|zertifizierung|garantie|gewahrleistung|lebensdauer|lichtstrom|lumen|effizienz|dimmbar|farbtemperatur|mindest(?:bestell)?menge|lieferzeit|produktionszeit|auf\s+lager|lagernd|verfugbar|vergleich|unterschied|kompatibel|zyklen|schutzart",
            S,
        ),
        (
            r"характеристик|сертифиц|гаранти|срок\s+службы|люмен|светов\w+\s+поток|эффективност|диммир|цветов\w+\s+температур|минимальн\w+\s+(?:парти|заказ)|срок\s+(?:производства|изготовления)|на\s+складе|в\s+наличии|наличи|сравн|отлича|совместим|циклов|\bеас\b|\beac\b|логотип",
            S,
        ),
        (
            r"مواصفات|معتمد|شهادة\s+\w+\s*\?|(?:ال)?ضمان|العمر\s+الافتراضي|لومن|كفاءة|قابل\s+للتعتيم|درجة\s+حرارة\s+اللون|الحد\s+الادنى\s+للطلب|الحد\s+الادنى|مدة\s+(?:ال)?(?:تصنيع|انتاج)|متوفر|يتوفر|مخزون|مقارنة|الفرق\s+بين|مناسب|متوافق|دورات|شعار",
            S,
        ),
        (
            r"规格|参数|认证|质保|保修|寿命|流明|光效|光通量|调光|色温|显指|防护等级|起订量|最小起订|交期|生产周期|货期|现货|库存|有货|对比|区别|兼容|适合|循环|定制|尺寸|重量|防水",
            S,
        ),
    ],
    "thanks_goodbye": [
        (
            r"thanks|thank\s+you|\bthx\b|\bty\b|cheers|appreciate|\bbye\b|goodbye|see\s+you|have\s+a\s+(?:nice|good|great)\s+(?:day|weekend|evening)|take\s+care|talk\s+soon",
            S,
        ),
        (
            r"gracias|adios|hasta\s+luego|hasta\s+pronto|buen\s+dia\b|que\s+tengan?\s+(?:un\s+)?buen|agradec",
            S,
        ),
        (r"obrigad|valeu|ate\s+mais|ate\s+logo|tchau|agradec|bom\s+fim\s+de\s+semana", S),
        (
            r"merci|au\s+revoir|bonne\s+(?:journee|soiree|fin\s+de\s+semaine|semaine)|a\s+bientot|bon\s+week-end",
            S,
        ),
        (
            r"danke|vielen\s+dank|besten\s+dank|tschuss|auf\s+wieder(?:horen|sehen)|schones\s+wochenende|schonen\s+tag",
            S,
        ),
        (
            r"спасибо|благодар|до\s+свидания|всего\s+доброго|всего\s+хорошего|\bпока\b|хорошего\s+дня",
            S,
        ),
        (r"شكرا|مشكور|يعطيك\s+العافية|مع\s+السلامة|الى\s+اللقاء|بارك\s+الله|جزاك", S),
        (r"谢谢|感谢|多谢|再见|拜拜|辛苦了|收到", S),
    ],
    "greeting": [
        (
            r"hello|\bhi\b|\bhey\b|good\s+(?:morning|afternoon|evening|day)|greetings|\bdear\b|howdy",
            S,
        ),
        (r"hola|buenas|buenos\s+dias|que\s+tal", S),
        (r"\bola\b|\boi\b|bom\s+dia|boa\s+(?:tarde|noite)|tudo\s+bem|tudo\s+bom", S),
        (r"bonjour|bonsoir|salut|\bbjr\b|\bcoucou\b", S),
        (r"hallo|guten\s+(?:tag|morgen|abend)|\bmoin\b|servus|gruß\s+gott|gruss\s+gott|gruezi", S),
        (r"здравствуйте|привет|добр\w+\s+(?:день|вечер|утро)|доброго\s+(?:дня|времени)", S),
        (r"السلام\s+عليكم|مرحبا|اهلا|صباح\s+الخير|مساء\s+الخير|هلا", S),
        (r"你好|您好|在吗|在不在|早上好|下午好|晚上好|嗨|哈喽|hello", S),
    ],
    "other": [
        (
            r"\bseo\b|digital\s+marketing|marketing\s+agency|first\s+page\s+of\s+google|website\s+(?:design|development|redesign)|web\s+design|app\s+development|crypto|bitcoin|forex|invest(?:ment)?\s+opportunit|earn\s+\$?\d|casino|betting|dating|loan\s+offer|lottery|you\s+(?:have\s+)?won|congratulations\s+you|unsubscribe|followers|backlinks",
            S,
        ),
        (
            r"(?:are\s+you|you)\s+hiring|job\s+(?:opening|vacancy|application)|my\s+(?:resume|cv)\b|internship|survey|questionnaire|(?:i\s+am|i'm)\s+a\s+student|booth\s+(?:design|construction)|exhibition\s+(?:stand|booth)\s+(?:design|build)|hostess",
            S,
        ),
        (
            r"posicionamiento\s+web|agencia\s+de\s+marketing|criptomoneda|invierte|gana\s+dinero|vacante|curriculum|encuesta|soy\s+estudiante",
            S,
        ),
        (
            r"marketing\s+digital|agencia\s+de\s+marketing|criptomoeda|invista|ganhe\s+dinheiro|estao\s+contratando|curriculo|vaga\s+de|questionario|sou\s+estudante",
            S,
        ),
        (
            r"referencement|agence\s+(?:de\s+)?marketing|cryptomonnaie|gagnez|recrutez|candidature|\bcv\b|enquete|questionnaire|je\s+suis\s+etudiant",
            S,
        ),
        (
            r"suchmaschinenoptimierung|marketingagentur|krypto|geld\s+verdienen|bewerbung|lebenslauf|umfrage|fragebogen|messe-hostess|hostessen|messebau|ich\s+bin\s+student",
            S,
        ),
        (
            r"заработ|крипт|биткоин|инвестици|ставки|казино|вакансi|вакансия|резюме|опрос|анкета|продвижение\s+сайта|раскрутк|пиши\s+в\s+лс|подписывайтесь",
            S,
        ),
        (
            r"تسويق\s+(?:رقمي|الكتروني)|عملات\s+رقمية|استثمار\s+مضمون|اربح|وظيفة|وظائف|سيرة\s+ذاتية|استبيان|طالب\s+جامعي",
            S,
        ),
        (
            r"展会搭建|展位|推广|网站优化|网站建设|招聘|简历|兼职|贷款|投资理财|刷单|加微信领|问卷|调查",
            S,
        ),
        (
            r"dinner|lunch|party|birthday|cena|almuerzo|fiesta|cumplean|jantar|almoco|festa|aniversar|diner|dejeuner|fete|anniversaire|abendessen|mittagessen|geburtstag|ужин|обед|вечеринк|день\s+рождения|عشاء|غداء|حفلة|عيد\s+ميلاد|المطار|airport|aeropuerto|aeroporto|aeroport|flughafen|аэропорт|吃饭|晚饭|机场|生日",
            W,
        ),
    ],
}


# Colloquial and regional phrasings, by intent.
_RULES["complaint"] += [
    (
        r"(?:water|moisture|dust)\s+(?:is\s+)?(?:getting|gets|coming|came|got)\s+(?:in|inside)|condensation|(?:is|was)\s+a\s+joke|quality\s+control\s+(?:is|was)|\bqc\s+(?:is|was|issue|problem)|not\s+(?:acceptable|good\s+enough)|not\s+what\s+we\s+ordered|(?:fell|falling)\s+apart|melted|dim(?:mer)?\s+than|(?:lost|losing)\s+(?:brightness|capacity)|we\s+are\s+(?:very\s+)?(?:upset|angry|unhappy)|(?:customers?|clients?)\s+(?:are\s+)?(?:complaining|returning)|stopped\s+charging|won'?t\s+(?:turn|switch)\s+on|overheating|keeps?\s+(?:tripping|failing|switching\s+off)",
        S,
    ),
    (
        r"se\s+apagan?|se\s+queman|se\s+calientan|(?:clientes?\s+)?(?:reclamando|reclaman|se\s+quejan)|no\s+es\s+aceptable|no\s+sirve[n]?|llegaron\s+(?:mal|golpead|mojad)|entrada\s+de\s+agua|perdieron\s+brillo|dejaron\s+de\s+funcionar|estan\s+fallando",
        S,
    ),
    (
        r"desligam\s+sozinh|esquentam|(?:clientes?\s+)?reclamando|nao\s+e\s+aceitavel|pararam\s+de\s+funcionar|veio\s+com|vieram\s+(?:quebrad|amassad|danificad|errad)|carcaca\s+amassada|entrou\s+agua|estragad|sem\s+acender|nao\s+chegou",
        S,
    ),
    (
        r"pas\s+acceptable|ne\s+(?:tiennent|tient)\s+pas|s'eteignent|chauffent|(?:clients?\s+)?(?:se\s+plaignent|mecontents?)|infiltration|de\s+l'eau\s+(?:rentre|entre)|ne\s+correspond\s+pas|inutilisable",
        S,
    ),
    (
        r"nicht\s+akzeptabel|nicht\s+in\s+ordnung|(?:nur\s+noch|lediglich)\s+\d+\s?%|lasst\s+nach|geht\s+(?:standig\s+)?aus|uberhitz|wasser\s+(?:ist\s+)?eingedrungen|kunden\s+beschweren|unbrauchbar|ein\s+witz|fehlerhaft",
        S,
    ),
    (
        r"выключа\w+\s+сам|перегрева|вода\s+попа|клиенты\s+жалу|не\s+соответству|это\s+неприемлем|неприемлемо|потерял\w*\s+(?:емкост|яркост)|развалил|вышл\w*\s+из\s+строя|не\s+доехал",
        S,
    ),
    (
        r"غير\s+مقبول|تطفي|تنطفئ|ترتفع\s+حرارت|دخول\s+الماء|الزبائن\s+يشتكون|العملاء\s+يشتكون|لا\s+تطابق|خربان|خربانة|عطلان|معطل",
        S,
    ),
    (
        r"坏的|是坏|还没发|还没寄|一直没发|一直没到|效率(?:太)?低|太慢了|太慢|进水|发热严重|客户投诉|不能接受|不合格|缺了|短装|死灯|灭了|不工作",
        S,
    ),
]
_RULES["return_refund"] += [
    (
        r"(?:money|deposit|payment)\s+back|cancel\s+(?:the|our|my)\s+order\s+and\s+(?:get|have)|(?:resend|re-send|send\s+again|ship\s+again)\s+(?:the\s+)?(?:missing|broken|faulty|damaged|correct)|make\s+(?:it|this)\s+good|(?:give|issue)\s+us\s+a\s+credit",
        S,
    ),
    (
        r"(?:dinero|anticipo|deposito)\s+de\s+vuelta|reenviar\s+(?:lo|las|los)\s+(?:faltante|que\s+faltan)|cambien(?:los)?\b|cambiarlos|me\s+devuelvan|reintegro",
        S,
    ),
    (
        r"(?:dinheiro|sinal|valor|deposito)\s+de\s+volta|receber\s+(?:o\s+|meu\s+|nosso\s+)?(?:dinheiro|sinal|valor|deposito)|cancelar\s+(?:o|a)\s+(?:pedido|encomenda)|reenviar\s+(?:as|os)\s+(?:pecas|unidades)|trocar\s+(?:as|os)",
        S,
    ),
    (
        r"renvoy\w*\s+(?:les\s+)?(?:colis|pieces|cartons|produits)\s+manquants|nous\s+renvoyer|rembourser|etre\s+rembourse|echanger\s+(?:les|ces)",
        S,
    ),
    (
        r"nachliefer\w*|neu\s+(?:liefern|schicken)|(?:ersatz|austausch)\s+(?:fur|der|von)\s+(?:die|den|alle)?\s*(?:defekt|kaputt|beschadigt)|geld\s+zuruck|stornieren\s+und",
        S,
    ),
    (
        r"(?:вернуть|вернуть\s+нам)\s+(?:предоплат|деньги|средства)|замену\s+брака|заменить\s+брак|допоставить|дослать|возместить",
        S,
    ),
    (
        r"استرجاع\s+(?:ال)?(?:مبلغ|فلوس|عربون)|رجعوا\s+(?:ال)?فلوس|ارسال\s+(?:ال)?ناقص|ارسال\s+بدل|تبديل",
        S,
    ),
    (r"换新|换成新的|重新发|补寄|退定金|返工|折价补偿", S),
    (r"\bcancel|\bcancelar|\bannuler|\bstornier|отменить|الغاء|取消", W),
]
_RULES["negotiation"] += [
    (
        r"\d+\s?%\s+off|percent\s+off|any\s+chance\s+of\s+(?:a\s+)?(?:\d|discount|better|lower)|(?:can|could)\s+you\s+(?:go|come)\s+(?:lower|down)|(?:lower|reduce|drop)\s+(?:it|a\s+bit)|if\s+you\s+(?:can\s+)?(?:do|give|offer|make\s+it|match|lower)|would\s+you\s+(?:accept|take|do)\s+\$?\d|is\s+(?:the\s+)?price\s+negotiable|wiggle\s+room|counter[\s-]?offer|budget\s+(?:is|only)|out\s+of\s+our\s+budget|cheaper\s+elsewhere",
        S,
    ),
    (
        r"(?:a\s+)?cuanto\s+me\s+lo\s+(?:dejan|deja)|me\s+lo\s+dejan|dejarmelo|me\s+da[n]?\s+(?:el|la|los|las)?\s*\w*\s*(?:\w+\s+)?a\s+\$?\d|si\s+(?:nos\s+|me\s+)?(?:dejan|dan|hacen|bajan|rebajan|igualan)|esta\s+(?:muy\s+)?car[oa]|precio\s+es\s+negociable|contraoferta|fuera\s+de\s+presupuesto",
        S,
    ),
    (
        r"(?:ta|esta|ficou)\s+(?:muito\s+)?(?:salgado|caro)|desconto\s+(?:pra|para)|se\s+(?:voces\s+)?(?:fizerem|fizer|baixarem|baixar|derem|der|cobrirem)|fazem\s+(?:um\s+)?(?:desconto|preco\s+melhor)|consegue\s+(?:chegar|fazer|baixar|melhorar)|contraproposta",
        S,
    ),
    (
        r"si\s+vous\s+(?:faites|descendez|pouvez\s+faire|nous\s+faites|alignez)|pouvez-vous\s+(?:descendre|baisser|faire\s+mieux)|prix\s+negociable|contre[\s-]?proposition|hors\s+budget",
        S,
    ),
    (
        r"(?:etwas\s+)?entgegenkommen|wenn\s+sie\s+(?:uns\s+)?(?:auf|beim|mit\s+dem\s+preis)|(?:liegt|liegen)\s+bei\s+\d|preis\s+(?:ist\s+)?verhandelbar|gegenangebot|uber\s+(?:unserem\s+)?budget|gunstiger\s+machen",
        S,
    ),
    (
        r"если\s+(?:дадите|сделаете|снизите|уступите|будет\s+цена)|цен\w+\s+(?:для\s+нас\s+)?не\s+подходит|дорог\w*\s+для\s+нас|готовы\s+(?:взять|заказать).{0,40}если|встречное\s+предложение|выше\s+(?:чем\s+)?у\s+конкурент",
        S,
    ),
    (
        r"اذا\s+(?:نزلتم|خفضتم|اعطيتمونا|عطيتونا|قدرتم)|هل\s+يوجد\s+خصم|فيه\s+خصم|ممكن\s+تنزلوا|السعر\s+(?:الحالي\s+)?(?:مرتفع|عالي|غالي)|عرض\s+مضاد",
        S,
    ),
    (
        r"如果.{0,12}(?:能|可以|做到).{0,8}(?:价|便宜|美金|美元)|能做到.{0,8}(?:美金|美元|块|元)|能不能做到|价格能不能|再降|少点|打个折|比别家贵|人家才",
        S,
    ),
]
_RULES["order_placement"] += [
    (
        r"(?:we|i)(?:'ll|\s+will)\s+(?:go\s+with|order|take|proceed)|go\s+ahead\s+with\s+the|(?:please\s+)?(?:issue|send)\s+(?:the\s+|us\s+the\s+)?(?:pi|proforma)(?:\s+invoice)?\s*(?:[.!]|$|so\s|and\s+we)|we\s+are\s+ready\s+to\s+(?:order|pay|proceed)|let'?s\s+(?:go\s+ahead|proceed|do\s+it|close)|(?:confirmed|approved)[.!]\s|(?:start|begin)\s+(?:the\s+)?production|(?:paid|transferred|sent)\s+the\s+deposit",
        S,
    ),
    (
        r"procedemos\s+(?:con|al|a)|vamos\s+a\s+proceder|procederemos|esta\s+todo\s+correcto|quedamos\s+con\s+(?:el|la|los)|lo\s+tomamos|nos\s+quedamos\s+con|inicien\s+(?:la\s+)?produccion|arranquen",
        S,
    ),
    (
        r"pode\s+(?:mandar|emitir)\s+a\s+proforma|vamos\s+(?:seguir|prosseguir)|prosseguimos|ja\s+pagamos\s+o\s+sinal|fazer\s+o\s+pagamento\s+do\s+sinal|iniciar\s+(?:a\s+)?producao|manda\s+(?:a|o)\s+(?:pi|contrato)",
        S,
    ),
    (
        r"(?:on\s+)?lance\s+la\s+commande|lancer\s+la\s+(?:commande|production)|nous\s+acceptons\s+(?:les|vos)\s+conditions|on\s+y\s+va|allez-y|feu\s+vert|nous\s+passons\s+commande",
        S,
    ),
    (
        r"wir\s+(?:geben|erteilen)\s+(?:ihnen\s+)?(?:den|grunes\s+licht)|grunes\s+licht|legen\s+sie\s+los|produktion\s+starten|auftrag\s+geht\s+raus|bestellung\s+ist\s+raus|einverstanden,?\s+(?:bitte|wir)",
        S,
    ),
    (
        r"запускайте\s+(?:в\s+)?производств|согласовываем|договорились|оплачиваем\s+(?:аванс|предоплату)|готовы\s+(?:оплатить|заказать)\s*[.!]|оформляйте",
        S,
    ),
    (r"نعتمد\s+(?:ال)?طلب|اعتمدوا|ابدأوا\s+(?:ال)?انتاج|اتفقنا|موافقين|نبي\s+نطلب|بنطلب", S),
    (r"就这么办|开始生产|开始做吧|发合同|签单|打款|定金已付|定金打了|订货", S),
]
_RULES["order_status"] += [
    (
        r"(?:reached|arrived\s+(?:at|in)|left|departed)\s+\w+(?:\s+\w+)?\s+yet|(?:has|have|is|did)\s+(?:so|po|our|my|the)[\s-]?\S*\s+(?:reached|arrived|left|sailed|shipped|departed)|where\s+(?:is|are)\s+(?:our|my|the)\s+(?:container|goods|cargo|vessel)|(?:still\s+)?on\s+(?:schedule|track)\s*\?|(?:any|some)\s+news\s+(?:on|about)\s+(?:our|my|the)\s+(?:order|shipment|container)",
        S,
    ),
    (
        r"donde\s+(?:esta|estan|va)\s+(?:mi|nuestro|nuestra|el|la)\s+(?:pedido|contenedor|carga|mercaderia|embarque)|ya\s+llego\s+(?:a|al)|sigue\s+en\s+(?:produccion|camino)",
        S,
    ),
    (
        r"onde\s+(?:esta|estao)\s+(?:o|a|nosso|nossa|meu|minha)\s+(?:pedido|conteiner|container|carga|mercadoria)|status\s+da\s+producao|ja\s+chegou\s+(?:em|no|a)",
        S,
    ),
    (
        r"ou\s+se\s+trouve\s+(?:notre|mon|le|la)\s+(?:conteneur|commande|marchandise|envoi)|ou\s+en\s+est|est-elle\s+partie|est-il\s+parti",
        S,
    ),
    (
        r"im\s+(?:zeit)?plan|noch\s+im\s+zeitplan|wann\s+wird\s+(?:verladen|verschifft|geliefert|versendet)|wo\s+befindet\s+sich",
        S,
    ),
    (
        r"где\s+сейчас\s+(?:наш|мой)|когда\s+(?:будет\s+)?готов\s+(?:наш|мой)\s+заказ|в\s+графике|по\s+графику",
        S,
    ),
    (
        r"وين\s+وصل|اين\s+وصل|متى\s+تصل\s+(?:ال)?(?:شحنة|حاوية|طلبية)|هل\s+وصلت\s+(?:ال)?(?:شحنة|حاوية)",
        S,
    ),
    (r"货(?:现在)?到哪了|船什么时候到|什么时候到港|到港了吗|开船了吗|装柜了吗|排产", S),
]
_RULES["price_inquiry"] += [
    (r"was\s+(?:wurde|wurden|wird|werden|kostet|kosten)\b.{0,60}\bkosten|kosten\s*\?|preislich", S),
    (r"what\s+(?:would|will|does)\s+.{0,60}\bcost|how\s+much\s+(?:would|will|does|do|is|are)", S),
    (r"a\s+como\s+(?:esta|estan|sale|salen)|cuanto\s+(?:seria|serian|saldria|costaria)", S),
    (r"quanto\s+(?:seria|ficaria|sairia|custaria)|por\s+quanto\s+sai", S),
    (r"quel\s+(?:serait|est)\s+le\s+(?:prix|cout|tarif)|a\s+combien", S),
]
_RULES["product_info"] += [
    (
        r"pronta\s+entrega|a\s+pronta\s+entrega|disponible\s+(?:de\s+)?inmediato|entrega\s+inmediata|ready\s+stock|ready\s+to\s+ship|available\s+now|sofort\s+(?:lieferbar|verfugbar)|disponible\s+de\s+suite|в\s+наличии|на\s+складе|جاهز\s+للشحن|متوفر\s+حاليا|现货",
        S,
    ),
    (
        r"\b(?:max(?:imum)?|output|input|rated)\s+(?:power|current|voltage)|potencia\s+(?:maxima|de\s+salida|nominal)|potencia|monofasic|trifasic|single[\s-]phase|three[\s-]phase|puissance|leistung|мощност|القدرة|功率",
        S,
    ),
    (
        r"(?:do\s+you\s+have|have\s+you\s+got|tienen|temos|vous\s+avez|haben\s+sie|у\s+вас\s+есть|هل\s+عندكم|عندكم|有没有).{0,40}\?",
        W,
    ),
]
_RULES["human_handoff"] += [
    (
        r"(?:request|ask)\s+(?:for\s+)?a\s+call\s?back|call\s?back\s+(?:request|please)|my\s+number\s+is|reach\s+me\s+(?:at|on)|whatsapp\s+me",
        S,
    ),
    (r"rueckruf|ruckruf|bitte\s+um\s+(?:ruckruf|anruf)|erreichbar\s+unter", S),
    (
        r"me\s+liga\s+quando|quando\s+puder\s+me\s+liga|meu\s+(?:numero|celular|whats)\s+e|falar\s+por\s+telefone",
        S,
    ),
    (
        r"parler\s+a\s+quelqu'un|quelqu'un\s+de\s+votre\s+service|un\s+interlocuteur|me\s+contacter\s+par\s+telephone",
        S,
    ),
    (r"позвоните\s+мне|свяжитесь\s+со\s+мной|наберите\s+меня|мой\s+(?:телефон|номер)", S),
    (r"تواصلوا\s+معي|كلموني|رقمي\s+(?:هو)?|ابي\s+اكلم", S),
]
_RULES["documents_request"] += [
    (
        r"(?:is\s+there|do\s+you\s+have|can\s+i\s+get|could\s+i\s+get|may\s+i\s+have)\s+(?:a|an|the|your)?\s*(?:\w+\s+){0,3}(?:datasheet|data\s+sheet|catalog\w*|certificate|report|brochure|manual|pdf)",
        S,
    ),
    (
        r"gibt\s+es\s+(?:fur\s+\w+\s+\w+\s+\w+\s+)?(?:ein|eine|einen)?\s*(?:\w+\s+){0,4}(?:datenblatt|katalog|zertifikat|handbuch|anleitung|prufbericht)|datenblatt",
        S,
    ),
    (
        r"(?:tienen|tiene)\s+(?:el\s+|un\s+)?catalogo|catalogo\s+en|(?:tem|tens)\s+(?:o\s+|um\s+)?catalogo|vous\s+avez\s+(?:un|le|votre)\s+catalogue|pdf",
        S,
    ),
    (r"сертификат\w*\s+соответств|пришлите\s+каталог|каталог\s+продукции|прайс[\s-]?лист", S),
    (r"بصيغة\s+pdf|ملف\s+pdf|كتالوج|الكتالوج", S),
]
_RULES["payment_terms"] += [
    (
        r"pay\s+\d+\s?%|\d+\s?%\s+(?:now|upfront|in\s+advance|before|after|on\s+delivery|against)|cash\s+against\s+documents|\bcad\b|\bdp\s+at\s+sight",
        S,
    ),
    (r"pagar\s+(?:el\s+)?\d+\s?%|\d+\s?%\s+(?:ahora|por\s+adelantado|al\s+recibir|contra)", S),
    (r"pagar\s+\d+\s?%|\d+\s?%\s+(?:agora|antecipado|na\s+entrega|contra)|a\s+vista", W),
    (
        r"payer\s+\d+\s?%|\d+\s?%\s+(?:maintenant|a\s+la\s+commande|a\s+reception|a\s+la\s+livraison)",
        S,
    ),
    (r"\d+\s?%\s+(?:jetzt|vorab|bei\s+(?:lieferung|erhalt)|nach\s+(?:lieferung|erhalt))", S),
    (
        r"оплатить\s+\d+\s?%|\d+\s?%\s+(?:сейчас|предоплат|после\s+(?:получения|отгрузки))|оплат\w+\s+частями|рассрочк",
        S,
    ),
    (r"(?:ندفع|الدفع)\s+\d+\s?%|\d+\s?%\s+(?:الان|مقدم|عند\s+الاستلام)|دفعات", S),
    (r"先付|后付|分批付|见提单|月结|货到付款", S),
]
_RULES["shipping_inquiry"] += [
    (
        r"(?:how\s+many|how\s+long).{0,30}(?:days|weeks)\s+(?:by\s+sea|to\s+\w+|transit)|(?:sea|air|rail)\s+freight\s+(?:cost|rate|time)|customs\s+(?:duty|clearance)\s+(?:on\s+)?(?:your|you)|who\s+(?:handles|pays)\s+(?:the\s+)?customs",
        S,
    ),
    (
        r"(?:costo|precio|valor)\s+(?:del|de)\s+(?:flete|envio|transporte)|tiempo\s+de\s+(?:envio|transito)|cuantos\s+dias\s+(?:por|en)\s+barco",
        S,
    ),
    (
        r"(?:custo|preco|valor)\s+do\s+frete|frete\s+(?:maritimo|aereo)|quanto\s+tempo\s+(?:leva|demora)",
        S,
    ),
    (
        r"frais\s+de\s+(?:transport|port|livraison)|cout\s+du\s+transport|transit\s+(?:maritime|aerien)",
        S,
    ),
    (r"frachtkosten|versandweg|transportkosten|per\s+(?:schiff|luftfracht|lkw)", S),
    (
        r"сколько\s+дней\s+(?:идет|идёт|везут|доставка)|стоимость\s+(?:фрахта|перевозки|доставки)|морем\s+до|авиадоставк",
        S,
    ),
    (r"(?:ال)?شحن\s+(?:ال)?(?:جوي|بحري)|مدة\s+(?:ال)?(?:شحن|وصول)|التخليص\s+(?:ال)?جمركي", S),
]


# Third round: phrasings seen missing on our own blind messages (kept general).
_RULES["complaint"] += [
    (
        r"peel(?:ing|s|ed)?\s+off|coming\s+off|came\s+off|falling\s+off|(?:customers?|clients?)\s+(?:are\s+|r\s+|keep\s+)?(?:returning|complaining|angry)|arrived\s+without|came\s+without|missing\s+(?:parts|cables|accessories|screws|brackets)",
        S,
    ),
    (
        r"llegaron\s+sin|vinieron\s+sin|faltan\s+(?:piezas|cables|accesorios|tornillos)|se\s+despega|se\s+hincharon|se\s+inflaron",
        S,
    ),
    (
        r"chegaram\s+sem|vieram\s+sem|faltando\s+(?:pecas|cabos|acessorios)|descolando|estufaram|inchadas",
        S,
    ),
    (
        r"arrive[es]?\s+sans|livres?\s+sans|manque\s+(?:des|les)\s+(?:pieces|cables|accessoires)|se\s+decolle|ont\s+gonfle",
        S,
    ),
    (
        r"ohne\s+(?:kabel|halterung\w*|zubehor|schrauben)\s+(?:geliefert|angekommen)|verargert|statt\s+\d|bitte\s+um\s+klarung|nur\s+(?:mit\s+)?\d+(?:[.,]\d+)?\s*(?:kw|w|%)\s+statt|lost\s+sich|aufgeblaht",
        S,
    ),
    (
        r"пришл\w+\s+без|без\s+(?:креплени|кабел|комплектующ|аксессуар|упаковк)\w*|недостающ\w*|некомплект|вздул\w*|отклеива\w*",
        S,
    ),
    (r"بدون\s+(?:ال)?(?:الواح|كابلات|قطع|ملحقات)|وصلت\s+بدون|ناقصة|منتفخة|تنتفخ", S),
    (r"没有配件|缺配件|少了配件|鼓包|脱胶|不粘", S),
]
_RULES["return_refund"] += [
    (
        r"(?:when\s+will\s+you|please)\s+(?:send|ship)\s+(?:the\s+)?missing|send\s+(?:us\s+)?the\s+missing",
        S,
    ),
    (
        r"(?:cuando|favor)\s+(?:envian|mandan|enviar|mandar)\s+(?:las|los)\s+(?:piezas|unidades)?\s*faltantes|quiero\s+que\s+me\s+(?:las|los)\s+cambien",
        S,
    ),
    (
        r"(?:quando|favor)\s+(?:enviam|mandam|enviar|mandar)\s+(?:as|os)\s+(?:pecas|unidades)?\s*faltantes",
        S,
    ),
    (
        r"(?:когда|прошу)\s+(?:дошлете|дошлите|допоставите|вышлете\s+недостающ)|дошл(?:ете|ите|ют)|допостав\w+",
        S,
    ),
    (r"ارسال\s+(?:ال)?(?:قطع|كمية|بضاعة)?\s*(?:ال)?ناقص(?:ة)?|ارسلوا\s+(?:ال)?ناقص", S),
    (r"补发|补齐|把少的发过来", S),
]
_RULES["human_handoff"] += [
    (
        r"(?:que\s+)?(?:alguien|alguno)\s+(?:que\s+)?me\s+llame|me\s+llame\s+(?:alguien|un|una)|este\s+chat\s+no\s+(?:me\s+)?sirve|no\s+quiero\s+(?:un|hablar\s+con\s+(?:un|el))\s+(?:bot|robot)",
        S,
    ),
    (
        r"this\s+(?:chat|bot)\s+(?:is\s+)?(?:useless|not\s+helping|doesn'?t\s+help)|someone\s+(?:to\s+)?call\s+me",
        S,
    ),
    (
        r"разговор\s+с|поговорить\s+по\s+телефону|по\s+телефону\s*[.!]?$|с\s+вашим\s+(?:директор|менеджер|руководител|специалист)\w*|директор\w*\s+по\s+(?:экспорту|продажам)",
        S,
    ),
    (r"ce\s+chat\s+ne\s+(?:sert|m'aide)|quelqu'un\s+(?:peut\s+)?m'appeler", S),
    (r"dieser\s+chat\s+hilft\s+nicht|jemand\s+soll\s+mich\s+anrufen", S),
]
_RULES["order_placement"] += [
    (
        r"nehmen\s+(?:ihr|das|dieses|unser)\s+angebot\b.{0,80}\ban\b|angebot\s+(?:gerne\s+)?an\b|nehmen\s+wir\s+an",
        S,
    ),
    (
        r"adjunt\w+\s+(?:nuestra|la)\s+orden\s+de\s+compra|orden\s+de\s+compra\s+(?:n|no|nro|numero)",
        S,
    ),
]
_RULES["price_inquiry"] += [
    (
        r"cuanto\s+(?:me|nos|te)\s+(?:sale|salen|cuesta|cuestan|vale|valen|cobran)|cuanto\s+esta|quanto\s+(?:me|nos)\s+(?:sai|custa|cobram)",
        S,
    ),
]
_RULES["quote_request"] += [
    (
        r"(?:we|i)\s+(?:need|require|are\s+looking\s+for|want)\s+\d|(?:necesitamos|necesito|requerimos|buscamos)\s+\d|(?:precisamos|preciso)\s+(?:de\s+)?\d|nous\s+(?:avons\s+besoin|aurions\s+besoin|cherchons)\s+(?:de\s+)?\d|wir\s+(?:benotigen|brauchen|suchen)\s+\d|(?:нам\s+)?(?:нужно|нужны|требуется|интересуют)\s+\d|(?:نحتاج|احتاج|نريد|مطلوب)\s+\d|(?:需要|要)\s*\d",
        W,
    ),
]
_RULES["other"] += [
    (
        r"реклам\w+|продвижени\w+|advertis\w+|publicidad|publicidade|publicite|werbung|اعلان|إعلان|广告",
        S,
    ),
]


_RULES["complaint"] += [
    (r"开不了机|不开机|开不了|无法启动|启动不了|不能开机|不能用了|不工作|麻烦尽快处理", S),
    (
        r"(?:won'?t|doesn'?t|don'?t|can'?t)\s+(?:start|boot|turn\s+on|switch\s+on|power\s+on)|no\s+(?:arrancan?|encienden?)|nao\s+ligam?|ne\s+demarrent?\s+pas|starten\s+nicht|не\s+запуска\w+|لا\s+(?:تشتغل|يشتغل|تعمل)",
        S,
    ),
]


def _alternatives(pattern: str) -> list[str]:
    """Split a regex on its top-level "|"."""
    parts, depth, current, escaped, in_class = [], 0, [], False, False
    for char in pattern:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif not in_class and char == "(":
            depth += 1
        elif not in_class and char == ")":
            depth -= 1
        elif not in_class and depth == 0 and char == "|":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _bounded_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a rule, each with a left word boundary when it
    starts with a Latin or Cyrillic letter."""
    out = []
    for alternative in _alternatives(fold_pattern(pattern)):
        head = alternative.lstrip("(?:")
        if head[:1].isascii() and head[:1].isalpha() or "\u0400" <= head[:1] <= "\u04ff":
            alternative = r"(?<![a-z\u0400-\u04ff])" + alternative
        out.append(alternative)
    return out


def _bounded(pattern: str) -> str:
    """A left word boundary for each alternative that starts with a Latin or Cyrillic letter."""
    return "|".join(_bounded_alternatives(pattern))


@dataclass(frozen=True)
class _RuleSet:
    rules: tuple[tuple[str, float], ...]  # (intent, weight) of each rule, in order
    alternatives: tuple[tuple[int, re.Pattern[str]], ...]  # (rule, alternative)
    always: tuple[int, ...]  # alternatives no literal rules out
    by_literal: dict[str, tuple[int, ...]]  # alternatives that need the literal
    index: LiteralIndex


@lru_cache(maxsize=1)
def _rule_set() -> _RuleSet:
    """Every rule split into its top-level alternatives, each compiled on its own: a rule
    matches where one of its alternatives does (no rule refers back to a group), so only
    the alternatives whose needed strings are in the text are searched."""
    rules: list[tuple[str, float]] = []
    alternatives: list[tuple[int, re.Pattern[str]]] = []
    always: list[int] = []
    by_literal: dict[str, list[int]] = {}
    for intent, patterns in _RULES.items():
        for pattern, weight in patterns:
            rule = len(rules)
            rules.append((intent, weight))
            for alternative in _bounded_alternatives(pattern):
                compiled = re.compile(alternative)
                number = len(alternatives)
                alternatives.append((rule, compiled))
                needed = required_literals(compiled)
                if needed is None:
                    always.append(number)
                else:
                    for literal in needed:
                        by_literal.setdefault(literal, []).append(number)
    return _RuleSet(
        rules=tuple(rules),
        alternatives=tuple(alternatives),
        always=tuple(always),
        by_literal={literal: tuple(numbers) for literal, numbers in by_literal.items()},
        index=LiteralIndex(by_literal),
    )


def rule_scores(folded_text: str) -> dict[str, float]:
    """Signal strength per intent: the two strongest matching rules, summed, capped at 3.
    Only the rule alternatives whose literal words the text holds are searched."""
    rule_set = _rule_set()
    candidates = set(rule_set.always)
    for literal in rule_set.index.present(folded_text):
        candidates.update(rule_set.by_literal[literal])
    matched: set[int] = set()
    for number in sorted(candidates):
        rule, alternative = rule_set.alternatives[number]
        if rule not in matched and alternative.search(folded_text):
            matched.add(rule)
    hits: dict[str, list[float]] = {}
    for rule in sorted(matched):
        intent, weight = rule_set.rules[rule]
        hits.setdefault(intent, []).append(weight)
    scores: dict[str, float] = {}
    for intent in _RULES:
        if intent in hits:
            scores[intent] = min(3.0, sum(sorted(hits[intent], reverse=True)[:2]))
    return scores
