"""Where the goods go: a gazetteer of ports and cities buyers name (in their own
languages and scripts) and country names from Babel's CLDR data, matched in folded text.

A name marked "~" is also an ordinary word ("Santos", "Lagos", "Lima"): it counts only
when written with a capital letter or right after an incoterm or "to".
Chinese places are the seller's side (Ningbo is the port of loading) and never a
destination.
"""

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import fold_pattern

# country code: names separated by ";"
_GAZETTEER = """
PE: Callao; ~Lima; Paita; Chimbote; Arequipa; Trujillo; Chiclayo; Piura; Cusco; Matarani; Калао; Кальяо; Лима; كالاو; ليما; 卡亚俄; 利马
CL: San Antonio; Valparaíso; Valparaiso; Santiago de Chile; Santiago; Iquique; Antofagasta; Arica; Talcahuano; Вальпараисо; Сантьяго; سانتياغو; 瓦尔帕莱索; 圣安东尼奥; 圣地亚哥; 伊基克
EC: Guayaquil; Quito; Posorja; ~Manta; Гуаякиль; غواياكيل; 瓜亚基尔; 基多
CO: Buenaventura; Cartagena; Barranquilla; Bogotá; Bogota; Medellín; Medellin; Cali; Bucaramanga; ~Pereira; Santa Marta; Богота; بوغوتا; 布埃纳文图拉; 卡塔赫纳; 波哥大
MX: Manzanillo; Querétaro; Queretaro; ~León; San Luis Potosí; Mérida; Cancún; Hermosillo; Chihuahua; Lázaro Cárdenas; Lazaro Cardenas; Veracruz; Ciudad de México; Mexico City; CDMX; Guadalajara; Monterrey; Altamira; Ensenada; Tijuana; Puebla; Мансанильо; Мехико; مانزانيلو; 曼萨尼约; 墨西哥城; 蒙特雷
PA: Colón; Colon; Balboa; Panama City; Ciudad de Panamá; Manzanillo International; 科隆; 巴尔博亚
BR: ~Santos; Campinas; Goiânia; Goiania; São Francisco do Sul; Joinville; Florianópolis; Uberlândia; Ribeirão Preto; Paranaguá; Paranagua; Itajaí; Itajai; ~Navegantes; Itapoá; Itapoa; Rio de Janeiro; São Paulo; Sao Paulo; ~Salvador; Suape; ~Recife; ~Fortaleza; Pecém; Pecem; Manaus; ~Vitória; ~Rio Grande; Belém; Porto Alegre; Curitiba; Belo Horizonte; Brasília; Сантус; Сан-Паулу; Рио-де-Жанейро; سانتوس; ساو باولو; 桑托斯; 巴拉那瓜; 伊塔雅伊; 里约热内卢; 圣保罗; 马瑙斯
AR: Buenos Aires; Rosario; Córdoba; Буэнос-Айрес; بوينس آيرس; 布宜诺斯艾利斯
UY: Montevideo; Монтевидео; مونتيفيديو; 蒙得维的亚
PY: Asunción; Asuncion; 亚松森
BO: ~La Paz; Santa Cruz de la Sierra; Cochabamba
VE: La Guaira; Puerto Cabello; Caracas; Maracaibo; 加拉加斯
DO: Santo Domingo; Caucedo; Rio Haina; 圣多明各
GT: Puerto Quetzal; Santo Tomás de Castilla; Ciudad de Guatemala
CR: Puerto Limón; Puerto Limon; ~Caldera; San José de Costa Rica
HN: Puerto Cortés; Puerto Cortes; San Pedro Sula; Tegucigalpa
SV: Acajutla; San Salvador
NI: Corinto; Managua
CU: La Habana; Havana; ~Mariel; 哈瓦那
JM: Kingston
TT: Port of Spain; Point Lisas
NG: ~Lagos; Ibadan; Enugu; ~Aba; Apapa; Tin Can Island; Tincan; Onne; Port Harcourt; Abuja; Kano; Лагос; لاغوس; 拉各斯; 阿帕帕
GH: ~Tema; Accra; Takoradi; Kumasi; Аккра; تيما; أكرا; 特马; 阿克拉
CI: Abidjan; San-Pédro; Абиджан; أبيدجان; 阿比让
SN: Dakar; Дакар; داكار; 达喀尔
KE: Mombasa; Nairobi; Kisumu; Nakuru; Eldoret; Момбаса; Найроби; مومباسا; نيروبي; 蒙巴萨; 内罗毕
TZ: Dar es Salaam; Dar-es-Salaam; Zanzibar; Arusha; Mwanza; Dodoma; Дар-эс-Салам; دار السلام; 达累斯萨拉姆
UG: Kampala; 坎帕拉
RW: Kigali
ET: Addis Ababa; Addis Abeba; أديس أبابا; 亚的斯亚贝巴
DJ: Djibouti; Jibuti; جيبوتي; 吉布提
ZA: Durban; Cape Town; Johannesburg; Port Elizabeth; Gqeberha; Ngqura; Дурбан; Кейптаун; ديربان; 德班; 开普敦; 约翰内斯堡
AO: Luanda; Lobito; Луанда; لواندا; 罗安达
MZ: Maputo; ~Beira; Nacala; 马普托
EG: Giza; الجيزة; المنصورة; اسيوط; طنطا; Alexandria; Alejandría; Alexandrie; Alexandrien; Alexandria; O Cairo; Port Said; Sokhna; Ain Sokhna; Damietta; Cairo; El Cairo; Le Caire; Kairo; Александрия; Порт-Саид; Каир; الاسكندرية; بورسعيد; بور سعيد; السخنة; العين السخنة; دمياط; القاهرة; 亚历山大; 塞得港; 开罗
MA: Casablanca; Tanger Med; Tanger; Tangier; Agadir; Rabat; Marrakech; Касабланка; الدار البيضاء; طنجة; اكادير; الرباط; 卡萨布兰卡
DZ: Alger; Algiers; Argel; Oran; Annaba; Béjaïa; Bejaia; Алжир; وهران; عنابة; بجاية; 阿尔及尔
TN: Tunis; Radès; Rades; Sfax; Sousse; Тунис; رادس; صفاقس; سوسة; 突尼斯
LY: Tripoli; Benghazi; Misrata; Misurata; طرابلس; بنغازي; مصراتة; 的黎波里
SD: Port Sudan; Khartoum; بورتسودان; بور سودان; الخرطوم
CM: Douala; Kribi; Yaoundé; Дуала; 杜阿拉
BJ: Cotonou; 科托努
TG: Lomé; Lome; 洛美
CD: Kinshasa; Matadi
CG: Pointe-Noire; Brazzaville
GA: Libreville; Owendo
GN: Conakry
ML: Bamako
BF: Ouagadougou
MR: Nouakchott; نواكشوط
SO: Mogadishu; Berbera; مقديشو; بربرة
MG: Toamasina; Tamatave; Antananarivo
MU: Port Louis
ZM: Lusaka
ZW: Harare
NA: Walvis Bay
AE: Jebel Ali; Dubai; Al Ain; Fujairah; Ras Al Khaimah; العين; الفجيرة; راس الخيمة; Dubái; Dubaï; Abu Dhabi; Abu Dabi; Abou Dabi; Sharjah; Khalifa Port; Ajman; Джебель-Али; Дубай; Абу-Даби; Шарджа; جبل علي; دبي; ابوظبي; ابو ظبي; الشارقة; عجمان; ميناء خليفة; 杰贝阿里; 迪拜; 阿布扎比; 沙迦
SA: Jeddah; Jedda; Djeddah; Yanbu; ~Medina; Madinah; Mecca; Makkah; Khobar; Al Khobar; Tabuk; Abha; ينبع; المدينة المنورة; مكة; مكة المكرمة; الخبر; تبوك; ابها; الطائف; القصيم; حائل; Dschidda; Dammam; Riyadh; ~Riad; Riyad; Jubail; King Abdullah Port; Джидда; Даммам; Эр-Рияд; Рияд; جدة; جده; الدمام; الرياض; الجبيل; ميناء الملك عبدالله; 吉达; 达曼; 利雅得
QA: Doha; Hamad Port; Доха; الدوحة; ميناء حمد; 多哈
KW: Kuwait City; Shuwaikh; Shuaiba; Эль-Кувейт; الشويخ; الشعيبة; 科威特城
OM: Sohar; Muscat; Mascate; Salalah; Duqm; Маскат; صحار; مسقط; صلالة; الدقم; 马斯喀特; 苏哈尔
BH: Manama; Khalifa Bin Salman; Манама; المنامة; 麦纳麦
IQ: Umm Qasr; Basra; Bagdad; Baghdad; Erbil; Mosul; Sulaymaniyah; الموصل; السليمانية; كربلاء; النجف; Умм-Каср; Басра; Багдад; ام قصر; البصرة; بغداد; اربيل; 乌姆盖斯尔; 巴士拉; 巴格达
JO: Aqaba; Amman; Акаба; Амман; العقبة; 亚喀巴; 安曼
LB: Beirut; Beyrouth; Beirute; Бейрут; بيروت; 贝鲁特
SY: Latakia; Tartus; Damascus; Латакия; Дамаск; اللاذقية; طرطوس; دمشق
YE: Aden; Hodeidah; عدن; الحديدة
IR: Bandar Abbas; Tehran; Бендер-Аббас; Тегеран; بندر عباس; طهران
TR: Istanbul; İstanbul; Estambul; Istambul; Mersin; Izmir; İzmir; Ambarli; Ambarlı; Ankara; Стамбул; Мерсин; Измир; اسطنبول; مرسين; ازمير; 伊斯坦布尔; 梅尔辛
IL: Haifa; Ashdod; Tel Aviv; Хайфа; Ашдод; 海法
PK: Karachi; Port Qasim; Lahore; Islamabad; Faisalabad; Rawalpindi; Peshawar; إسلام آباد; لاهور; Карачи; كراتشي; 卡拉奇
IN: Nhava Sheva; Nhava Sheva Port; JNPT; Mumbai; Chennai; Mundra; Kolkata; Delhi; New Delhi; Bangalore; Bengaluru; Ahmedabad; Pune; Kochi; Cochin; Visakhapatnam; Tuticorin; Мумбаи; Ченнай; مومباي; 孟买; 那瓦舍瓦; 金奈
BD: Chittagong; Chattogram; Dhaka; 吉大港; 达卡
LK: ~Colombo; Коломбо; كولومبو; 科伦坡
NP: Kathmandu
MM: Yangon; Rangoon; 仰光
TH: Laem Chabang; Bangkok; Bangkoc; Лаем Чабанг; Бангкок; بانكوك; 林查班; 曼谷
VN: Ho Chi Minh; Ho Chi Minh City; Saigon; Cat Lai; Haiphong; Hai Phong; Hanoi; Da Nang; Хошимин; Хайфон; Ханой; 胡志明; 海防; 河内; 岘港
KH: Phnom Penh; Sihanoukville; 金边; 西哈努克
MY: Port Klang; ~Klang; Penang; Tanjung Pelepas; Pasir Gudang; Johor Bahru; Kuala Lumpur; Порт-Кланг; Куала-Лумпур; بورت كلانج; كوالالمبور; 巴生港; 巴生; 槟城; 丹戎帕拉帕斯; 吉隆坡; 新山
SG: Singapore; Singapur; Singapour; Singapura; Сингапур; سنغافورة; 新加坡
ID: Jakarta; Yakarta; Jacarta; Djakarta; Dschakarta; Tanjung Priok; Surabaya; Semarang; Belawan; Джакарта; جاكرتا; 雅加达; 泗水
PH: Manila; Cebu; Davao; Subic; Манила; مانيلا; 马尼拉; 宿务
TW: Kaohsiung; Taipei; Keelung; Taichung; 高雄; 台北; 基隆
HK: Hong Kong; Гонконг; هونغ كونغ; 香港
JP: Tokyo; Tokio; Tóquio; Yokohama; Osaka; Kobe; Nagoya; Токио; Иокогама; 东京; 横滨; 大阪; 神户; 名古屋
KR: Busan; Pusan; Incheon; Seoul; Seúl; Пусан; Сеул; 釜山; 仁川; 首尔
AU: Sydney; Melbourne; Brisbane; Fremantle; Perth; Adelaide; Сидней; Мельбурн; سيدني; 悉尼; 墨尔本; 布里斯班
NZ: Auckland; Tauranga; Wellington; Окленд; 奥克兰
FJ: Suva; Lautoka
PG: ~Lae; Port Moresby
US: Los Angeles; Los Ángeles; Long Beach; Oakland; Seattle; Tacoma; New York; Nueva York; Newark; ~Savannah; Houston; Miami; Charleston; Norfolk; Chicago; Atlanta; Dallas; Лос-Анджелес; Лонг-Бич; Нью-Йорк; Хьюстон; Майами; لوس انجلوس; لوس أنجلوس; نيويورك; هيوستن; 洛杉矶; 长滩; 纽约; 休斯顿; 迈阿密; 西雅图
CA: Vancouver; Prince Rupert; Montreal; Montréal; Toronto; Halifax; Ванкувер; Торонто; Монреаль; 温哥华; 多伦多; 蒙特利尔
PR: ~San Juan
DE: Hamburg; Hamburgo; Hambourg; Bremerhaven; Bremen; Duisburg; Berlin; Berlín; Berlim; München; Munich; Múnich; Munique; Frankfurt; Fráncfort; Francfort; Köln; ~Cologne; Düsseldorf; Stuttgart; Leipzig; Hannover; Nürnberg; Dortmund; ~Essen; Гамбург; Бремерхафен; Дуйсбург; Берлин; Мюнхен; Франкфурт; هامبورغ; هامبورج; بريمرهافن; دويسبورغ; برلين; 汉堡; 不来梅港; 不来梅; 杜伊斯堡; 柏林; 慕尼黑; 法兰克福
NL: Rotterdam; Róterdam; Roterdã; Amsterdam; Ámsterdam; Amsterdã; Den Haag; The Hague; La Haya; Haia; Utrecht; Eindhoven; Venlo; Роттердам; Амстердам; روتردام; امستردام; 鹿特丹; 阿姆斯特丹
BE: Antwerp; Antwerpen; Amberes; Anvers; Antuérpia; Zeebrugge; Brussels; Bruxelles; Brüssel; Bruselas; Liège; Антверпен; Брюссель; انتويرب; 安特卫普; 泽布吕赫; 布鲁塞尔
FR: Le Havre; Havre; Marseille; Marsella; Marselha; Marseilles; Burdeos; Bordéus; Fos-sur-Mer; Paris; París; Lyon; Lyons; Lille; Toulouse; ~Bordeaux; Nantes; Strasbourg; Dunkerque; Dunkirk; Гавр; Марсель; Париж; Лион; لوهافر; مرسيليا; باريس; ليون; 勒阿弗尔; 马赛; 巴黎; 里昂
ES: Valencia; Barcelona; Algeciras; Madrid; Bilbao; Sevilla; Seville; Málaga; Malaga; Zaragoza; Las Palmas; Tenerife; Валенсия; Барселона; Альхесирас; Мадрид; فالنسيا; برشلونة; مدريد; 瓦伦西亚; 巴伦西亚; 巴塞罗那; 阿尔赫西拉斯; 马德里
PT: Lisboa; Lisbon; Lisbonne; Lissabon; Sines; Leixões; Leixoes; ~Porto; Oporto; Setúbal; Aveiro; Лиссабон; Синиш; لشبونة; 里斯本; 锡尼什
IT: Genoa; Genova; Génova; ~Gênes; Genua; Gênova; Turin; Torino; Turín; Florence; Firenze; Florenz; Florencia; Florença; Bologna; Bolonia; Venedig; Venecia; Veneza; Venise; Neapel; Nápoles; Milão; La Spezia; Naples; Napoli; Trieste; Milan; Milano; Milán; Mailand; ~Rome; ~Roma; Gioia Tauro; Livorno; Venice; Venezia; Генуя; Милан; Рим; جنوة; ميلانو; 热那亚; 米兰; 拉斯佩齐亚
GB: Felixstowe; Southampton; London Gateway; London; Londres; Londra; Edinburgh; Edimburgo; Liverpool; Manchester; Birmingham; Tilbury; Immingham; Glasgow; Феликстоу; Лондон; فيليكستو; لندن; 费利克斯托; 伦敦; 南安普顿
IE: Dublin; ~Cork; Дублин; 都柏林
PL: Gdańsk; Gdansk; Danzig; Gdynia; Szczecin; Stettin; Wrocław; Wroclaw; Breslau; Poznań; Poznan; Łódź; Lodz; Kraków; Krakow; Warsaw; Warszawa; Varsovia; Warschau; Varsovie; Varsóvia; Gdańsk; Гданьск; Варшава; 格但斯克; 华沙
GR: Piraeus; Pireo; Le Pirée; Piräus; Athens; Atenas; Athen; Athènes; Thessaloniki; Пирей; Афины; بيرايوس; 比雷埃夫斯; 雅典
AT: Wien; Vienna; Viena; Vienne; Linz; Graz; Salzburg; Вена; فيينا; 维也纳
CH: Basel; Bâle; Basilea; Zürich; Zurich; Zúrich; Zurique; Genf; Genève; Geneva; Ginebra; Genebra; Bern; Berne; Lausanne; Lugano; Цюрих; 苏黎世
CZ: Prague; Praha; Prag; Praga; Прага; 布拉格
HU: Budapest; Будапешт; 布达佩斯
RO: Constanța; Constanta; Bucharest; București; Bucarest; Bukarest; Bucareste; Констанца; Бухарест; 康斯坦察
BG: Varna; Burgas; ~Sofia; Варна; Бургас; София
SE: Gothenburg; Göteborg; Stockholm; Гётеборг; Стокгольм; 哥德堡
DK: Aarhus; Copenhagen; København; Kopenhagen; Copenhague; Copenhaga; Копенгаген; 奥胡斯
NO: Oslo; Осло
FI: Helsinki; Kotka; Хельсинки
SI: Koper; Копер; 科佩尔
HR: Rijeka; Zagreb; Риека
RS: Belgrade; Beograd; Belgrad; Belgrado; Белград
UA: Odesa; Odessa; Kyiv; Kiev; Kiew; Kiev; Одесса; Одеса; Киев; Київ; 敖德萨; 基辅
LT: Klaipėda; Klaipeda; Vilnius; Клайпеда; Вильнюс
LV: Riga; Рига
EE: Tallinn; Muuga; Таллин
RU: Novorossiysk; Novorossiisk; Saint Petersburg; St. Petersburg; St Petersburg; San Petersburgo; Vladivostok; Moscow; Moscú; Moscou; Moskau; Novosibirsk; Yekaterinburg; Ekaterinburg; Kazan; Kaliningrad; Ust-Luga; Nakhodka; Krasnodar; Rostov-on-Don; Samara; Новороссийск; Санкт-Петербург; Петербург; СПб; Владивосток; Москва; Новосибирск; Екатеринбург; Казань; Калининград; Усть-Луга; Находка; Восточный; Краснодар; Ростов-на-Дону; Самара; Нижний Новгород; Челябинск; Омск; Уфа; Пермь; Красноярск; Иркутск; Хабаровск; Воронеж; Волгоград; Забайкальск; نوفوروسيسك; موسكو; سانت بطرسبرغ; 新罗西斯克; 圣彼得堡; 符拉迪沃斯托克; 海参崴; 莫斯科; 新西伯利亚; 叶卡捷琳堡
BY: Minsk; Минск; Брест; Гомель; 明斯克
KZ: Almaty; Astana; Shymkent; Karaganda; Khorgos; Dostyk; Алматы; Алма-Ата; Астана; Шымкент; Караганда; Хоргос; Достык; Актобе; Атырау; ألماتي; 阿拉木图; 阿斯塔纳; 霍尔果斯
UZ: Tashkent; Samarkand; Ташкент; Самарканд; طشقند; 塔什干
KG: Bishkek; Бишкек; 比什凯克
TJ: Dushanbe; Душанбе
TM: Ashgabat; Ашхабад
AZ: Baku; Баку; باكو; 巴库
GE: Poti; Batumi; Tbilisi; Поти; Батуми; Тбилиси; 波季
AM: Yerevan; Ереван
MN: Ulaanbaatar; Ulan Bator; Улан-Батор; Улан-Удэ; 乌兰巴托
CN: Ningbo; Ningpo; Shanghai; Xangai; Shenzhen; Guangzhou; Peking; Pekín; Pequim; Pékin; Beijing; Yiwu; Xiamen; Qingdao; Tianjin; Dalian; Zhongshan; Foshan; Hangzhou; Нинбо; Шанхай; Шэньчжэнь; Гуанчжоу; Иу; Циндао; Тяньцзинь; نينغبو; نينجبو; شنغهاي; شنتشن; قوانغتشو; 宁波; 上海; 深圳; 广州; 义乌; 厦门; 青岛; 天津; 大连; 中山; 佛山; 杭州
"""

# Country names buyers use beside CLDR's official ones.
_COUNTRY_ALIASES = {
    "US": "USA; U.S.A.; U.S.; America; EEUU; EE.UU.; EE. UU.; EUA; США; Америка; امريكا; أمريكا",
    "GB": "UK; U.K.; Britain; Great Britain; England; Inglaterra; Angleterre; England; Англия; Британия; Великобритания; بريطانيا; 英国",
    "AE": "UAE; U.A.E.; Emirates; EAU; EAU; Emirados; Emiratos; VAE; ОАЭ; الامارات; الإمارات; 阿联酋",
    "SA": "KSA; Saudi; Saudi Arabia; Arabia Saudita; Arabie saoudite; Saudi-Arabien; Саудовская Аравия; السعودية; 沙特",
    "RU": "Russia; РФ; Россия; Russland; Rusia; Rússia; Russie; روسيا; 俄罗斯",
    "KR": "South Korea; Korea; Corea del Sur; Coreia do Sul; Corée du Sud; Südkorea; Южная Корея; كوريا الجنوبية; 韩国",
    "CI": "Ivory Coast; Côte d'Ivoire; Cote d'Ivoire; Costa de Marfil; Costa do Marfim; Elfenbeinküste; Кот-д'Ивуар; ساحل العاج; 科特迪瓦",
    "CD": "DRC; RDC; DR Congo; Congo-Kinshasa",
    "CZ": "Czech Republic; Czechia; Чехия",
    "NL": "Holland; Holanda; Hollande; Голландия; هولندا",
    "TR": "Turkey; Turquía; Turquia; Turquie; Türkei; Турция; تركيا; 土耳其",
    "VN": "Viet Nam; Vietnam; Вьетнам; فيتنام; 越南",
    "MX": "Mexico; México; Mexique; Mexiko; Мексика; المكسيك; 墨西哥",
}

# countries whose English name is also a common word or first name
_AMBIGUOUS_COUNTRIES = {
    "TG",
    "CN",
    "JO",
    "TD",
    "GE",
    "NE",
    "GN",
    "DM",
    "MO",
    "MS",
    "VA",
    "SM",
    "MU",
    "JE",
    "RE",
    "CL",
}
# Arabic names that are also ordinary words ("diameter", "sunset")
_AMBIGUOUS_NAMES = {"قطر", "المغرب"}


COUNTRY_NAMES_PATH = Path(__file__).resolve().parent / "models" / "country_names.json"
LOCALES = ("en", "es", "pt", "fr", "de", "ru", "ar", "zh_Hans")


def country_names_from_cldr() -> dict[str, dict[str, str]]:
    """Country names per locale from Babel's CLDR data (ISO alpha-2 codes only)."""
    from babel import Locale

    out: dict[str, dict[str, str]] = {}
    for code in LOCALES:
        out[code] = {
            territory: name
            for territory, name in sorted(Locale.parse(code).territories.items())
            if len(territory) == 2
            and territory.isalpha()
            and territory not in ("EU", "EZ", "UN", "QO")
        }
    return out


def country_names() -> dict[str, dict[str, str]]:
    """The stored extract (loading all of CLDR for eight locales costs ~14 MB per worker)."""
    if COUNTRY_NAMES_PATH.exists():
        return json.loads(COUNTRY_NAMES_PATH.read_text(encoding="utf-8"))
    return country_names_from_cldr()


@dataclass(frozen=True)
class PlaceMatch:
    country: str
    start: int
    end: int
    is_country: bool
    capital_only: bool


def _key(name: str) -> str:
    return re.sub(r"[\s-]+", " ", fold_pattern(name)).strip(" .")


def _script(name: str) -> str:
    first = name[0]
    if "\u0400" <= first <= "\u04ff":
        return "cyrillic"
    if "\u0600" <= first <= "\u06ff":
        return "arabic"
    if "\u4e00" <= first <= "\u9fff":
        return "han"
    return "latin"


def _stem(key: str) -> str:
    """Russian place names inflect ("Новороссийска"); short ones ("Поти") must match whole."""
    return re.sub(r"[аяоеьйыи]$", "", key) if len(key) >= 6 else key


class _Gazetteer:
    """All names in four alternation regexes (one per script), looked up by folded key."""

    def __init__(self) -> None:
        self.entries: dict[
            str, tuple[str, bool, bool]
        ] = {}  # key -> country, capital_only, is_country
        for line in _GAZETTEER.strip().splitlines():
            country, _, names = line.partition(":")
            for name in names.split(";"):
                self._add(name.strip(), country.strip(), is_country=False)
        for code, names in country_names().items():
            for territory, name in names.items():
                flag = "~" if territory in _AMBIGUOUS_COUNTRIES and code != "zh_Hans" else ""
                self._add(flag + name, territory, is_country=True)
        for territory, names in _COUNTRY_ALIASES.items():
            for name in names.split(";"):
                self._add(name.strip(), territory, is_country=True)
        by_script: dict[str, list[str]] = {"latin": [], "cyrillic": [], "arabic": [], "han": []}
        for key in self.entries:
            by_script[_script(key)].append(key)

        def alternation(keys: list[str], transform) -> str:
            return "|".join(transform(k) for k in sorted(set(keys), key=len, reverse=True))

        words = lambda k: r"[\s-]+".join(re.escape(w) for w in k.split(" "))  # noqa: E731
        self.latin = re.compile(
            r"(?<![\w])(" + alternation(by_script["latin"], words) + r")\.?(?![\w])"
        )
        long_keys = [k for k in by_script["cyrillic"] if len(k) >= 6]
        short_keys = [k for k in by_script["cyrillic"] if len(k) < 6]
        self.cyrillic = re.compile(
            r"(?<![\w])(?:("
            + alternation([_stem(k) for k in long_keys], words)
            + r")[а-я]{0,3}|("
            + alternation(short_keys, words)
            + r"))(?![\w])"
        )
        self.arabic = re.compile(
            r"(?<![\u0600-\u06ff])(?:[وبل]|ال|لل|بال|وال)?("
            + alternation(by_script["arabic"], words)
            + r")(?![\u0600-\u06ff])"
        )
        self.han = re.compile("(" + alternation(by_script["han"], re.escape) + ")")
        self.stems = {_stem(k): k for k in by_script["cyrillic"]}

    def _add(self, name: str, country: str, *, is_country: bool) -> None:
        if not name:
            return
        capital_only = name.startswith("~")
        name = name.lstrip("~").strip()
        key = _key(name)
        capital_only = capital_only or key in _AMBIGUOUS_NAMES
        if len(key) < 3 and _script(key) != "han":
            return
        if key in self.entries and self.entries[key][2] is False and is_country:
            return  # a city name wins over a same-spelled country ("Singapore")
        self.entries[key] = (country, capital_only, is_country)

    def find(self, folded: str) -> list[PlaceMatch]:
        found = []
        for pattern, script in (
            (self.latin, "latin"),
            (self.cyrillic, "cyrillic"),
            (self.arabic, "arabic"),
            (self.han, "han"),
        ):
            for match in pattern.finditer(folded):
                group = 1 if match.group(1) is not None else 2
                key = re.sub(r"[\s-]+", " ", match.group(group)).strip(" .")
                if script == "cyrillic":
                    key = self.stems.get(key, key)
                entry = self.entries.get(key)
                if entry is None:
                    continue
                country, capital_only, is_country = entry
                end = match.end() if script == "cyrillic" else match.end(group)
                found.append(PlaceMatch(country, match.start(group), end, is_country, capital_only))
        found.sort(key=lambda m: m.start)
        return found


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    return _Gazetteer()


def find_places(folded: str) -> list[PlaceMatch]:
    """Every gazetteer city/port and country name in folded text, in order."""
    return gazetteer().find(folded)
