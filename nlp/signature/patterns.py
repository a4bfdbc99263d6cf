"""Signature patterns as data: labels, titles, departments, legal forms, places. One comment per table.

Everything here is matched against *folded* text (see :mod:`nlp.signature.text`: full-width ASCII made
half-width, dashes unified), lower-cased where the table says so. The tables were written from general
knowledge of business signatures in the languages named, not fitted to any evaluation corpus.
"""

from __future__ import annotations

import re

__all__ = [
    "CA_PROVINCES",
    "COMPANY_WORDS",
    "COUNTRIES",
    "COUNTRY_REGIONS",
    "DEPARTMENT_SUFFIXES_JA",
    "DEPARTMENT_WORDS",
    "DISCLAIMER_CUES",
    "FIELD_LABELS",
    "FUNCTION_WORDS",
    "JP_PREFECTURES",
    "LANGUAGE_REGIONS",
    "LEGAL_FORMS_EN",
    "LEGAL_FORMS_JA",
    "LINE_LABELS",
    "MOBILE_FOOTER_CUES",
    "NAME_CREDENTIALS",
    "NAME_STOPWORDS",
    "PHONE_LABELS",
    "SIGN_OFFS",
    "SOCIAL_HANDLE_LABELS",
    "SOCIAL_HOSTS",
    "STREET_SUFFIXES_DE",
    "STREET_WORDS",
    "TITLE_WORDS",
    "TITLE_WORDS_JA",
    "TLD_REGIONS",
    "US_STATES",
]

# Phone labels by type, lower-case, as written before ("Tel: …") or after ("… (cell)") a number.
PHONE_LABELS: dict[str, tuple[str, ...]] = {
    "fax": (
        "fax", "facsimile", "fx", "f", "telefax", "fax no", "fax number",  # English
        "télécopie", "telecopie", "téléfax",  # French
        "ファックス", "ファクス", "ファクシミリ", "fax番号",  # Japanese
    ),
    "mobile": (
        "mobile", "mob", "mobile phone", "cell", "cellular", "cell phone", "cellphone", "m", "c", "wireless",
        "mobil", "handy", "mobiltelefon", "funk",  # German
        "portable", "port", "gsm",  # French
        "móvil", "movil", "celular", "cel", "cellulare",  # Spanish, Portuguese, Italian
        "携帯", "携帯電話", "携帯番号", "ケータイ",  # Japanese
    ),
    "work": (
        "tel", "tel.", "telephone", "phone", "ph", "p", "t", "o", "office", "off", "work", "w", "direct",
        "direct line", "dir", "dd", "ddi", "main", "switchboard", "voice", "business", "desk",  # English
        "telefon", "fon", "büro", "durchwahl", "zentrale",  # German
        "tél", "téléphone", "telephone", "bureau", "ligne directe", "standard",  # French
        "teléfono", "telefono", "tlf", "oficina", "ufficio",  # Spanish, Italian
        "電話", "電話番号", "直通", "直通電話", "代表", "代表電話", "内線",  # Japanese
    ),
    "other": (
        "home", "h", "pager", "toll free", "toll-free", "freephone", "privat", "domicile",
        "whatsapp", "skype", "フリーダイヤル", "自宅",
    ),
}

# Legal forms that end (or, for a few, start) a company name in Western signatures.
LEGAL_FORMS_EN: tuple[str, ...] = (
    "inc", "inc.", "incorporated", "corp", "corp.", "corporation", "co", "co.", "company", "ltd", "ltd.",
    "limited", "llc", "l.l.c.", "llp", "l.l.p.", "lp", "l.p.", "plc", "p.l.c.", "pllc", "pc", "p.c.",  # English
    "gmbh", "ag", "kg", "gmbh & co. kg", "ohg", "e.k.", "e.v.", "ug", "se", "mbh",  # German
    "s.a.", "sa", "s.a.s.", "sas", "sarl", "s.a.r.l.", "sàrl", "eurl",  # French
    "s.l.", "s.l.u.", "s.p.a.", "spa", "s.r.l.", "srl", "s.a. de c.v.",  # Spanish, Italian
    "b.v.", "bv", "n.v.", "nv", "oy", "ab", "a/s", "as", "asa", "aps",  # Dutch, Nordic
    "pty", "pty ltd", "pty. ltd.", "k.k.", "kk", "co., ltd.", "co.,ltd.", "pte", "pte ltd",  # AU, JP, SG
)

# Japanese legal forms: 株式会社 before or after the name, and their abbreviations.
LEGAL_FORMS_JA: tuple[str, ...] = (
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "一般財団法人",
    "公益社団法人", "公益財団法人", "特定非営利活動法人", "NPO法人", "学校法人", "医療法人",
    "社会福祉法人", "独立行政法人", "国立大学法人", "税理士法人", "弁護士法人", "監査法人",
    "(株)", "(有)", "(合)", "㈱", "㈲",
)

# Words that make a capitalised line look like an organisation even without a legal form (lower-case).
COMPANY_WORDS: tuple[str, ...] = (
    "group", "holdings", "partners", "associates", "consulting", "consultants", "solutions", "technologies",
    "technology", "systems", "services", "industries", "international", "enterprises", "ventures", "capital",
    "bank", "university", "institute", "foundation", "agency", "laboratories", "labs", "networks", "energy",
    "pipeline", "software", "media", "communications", "financial", "insurance", "realty", "research",
    "trading", "logistics", "pharma", "pharmaceuticals", "hospital", "clinic", "school", "college",
    "universität", "hochschule", "stiftung", "verlag", "université", "universidad", "università",  # de fr es it
    "大学", "研究所", "銀行", "病院", "事務所", "商事", "商会", "工業", "産業", "製作所", "商店", "協会",  # ja
)

# Job-title head words (lower-case); a short segment containing one is a title.
TITLE_WORDS: tuple[str, ...] = (
    "president", "vice president", "vp", "svp", "evp", "ceo", "cfo", "coo", "cto", "cio", "cmo", "cso",
    "chairman", "chairwoman", "chair", "founder", "co-founder", "cofounder", "owner", "director",
    "manager", "head", "lead", "leader", "chief", "officer", "engineer", "developer", "architect",
    "consultant", "analyst", "specialist", "coordinator", "assistant", "associate", "administrator",
    "executive", "representative", "rep", "advisor", "adviser", "counsel", "attorney", "lawyer",
    "partner", "principal", "secretary", "accountant", "controller", "treasurer", "scientist",
    "researcher", "professor", "lecturer", "designer", "editor", "producer", "supervisor", "trader",
    "broker", "agent", "planner", "strategist", "recruiter", "intern", "paralegal", "clerk", "scheduler",
    "evangelist", "programmer", "technician", "auditor", "economist", "buyer", "receptionist", "nurse",
    "physician", "student", "fellow", "member", "managing director", "general manager", "account manager",
    "geschäftsführer", "geschäftsführerin", "leiter", "leiterin", "leitung", "vorstand", "prokurist",  # German
    "referent", "referentin", "sachbearbeiter", "sachbearbeiterin", "berater", "beraterin", "entwickler",
    "entwicklerin", "ingenieur", "ingenieurin", "inhaber", "inhaberin", "assistenz", "vertriebsleiter",
    "abteilungsleiter", "projektleiter", "teamleiter", "mitarbeiter", "mitarbeiterin", "kaufmann",
    "directeur", "directrice", "responsable", "chef", "ingénieur", "gérant", "gérante", "président",  # French
    "présidente", "chargé", "chargée", "assistante", "conseiller", "conseillère", "commercial",
    "commerciale", "avocat", "avocate", "associé", "associée", "fondateur", "fondatrice",
    "gerente", "jefe", "jefa", "ingeniero", "ingeniera", "directora", "presidente", "asesor",  # Spanish
    "direttore", "direttrice", "responsabile", "amministratore",  # Italian
)

# Japanese titles (a token equal to or ending with one is a title).
TITLE_WORDS_JA: tuple[str, ...] = (
    "代表取締役社長", "代表取締役", "取締役", "社長", "副社長", "会長", "専務", "常務", "執行役員",
    "本部長", "事業部長", "部長", "副部長", "次長", "課長", "課長代理", "係長", "主任", "主査", "室長",
    "所長", "支店長", "工場長", "センター長", "グループ長", "チーム長", "店長", "局長", "部長代理",
    "チームリーダー", "グループリーダー", "プロジェクトリーダー", "リーダー", "プロジェクトマネージャー",
    "ゼネラルマネージャー", "シニアエンジニア", "事務局長", "マネージャー", "マネジャー", "シニアマネージャー",
    "ディレクター",
    "エンジニア", "コンサルタント", "プロデューサー", "デザイナー", "アナリスト", "スペシャリスト",
    "アシスタント", "セールス", "担当", "営業担当", "代表", "顧問", "弁護士", "税理士", "公認会計士",
    "司法書士", "行政書士", "社労士", "教授", "准教授", "研究員", "秘書", "CEO", "CTO", "CFO", "COO",
)

# Explicit department markers (lower-case words; Japanese suffixes below).
DEPARTMENT_WORDS: tuple[str, ...] = (
    "department", "dept", "dept.", "division", "div.", "team", "unit", "group", "office of", "desk",
    "abteilung", "bereich", "referat",  # German
    "service", "département", "departement", "direction",  # French
    "departamento", "área", "dipartimento", "ufficio",  # Spanish, Italian
)
# Japanese department suffixes: 営業部, 総務課, 企画室, 開発グループ, …
DEPARTMENT_SUFFIXES_JA: tuple[str, ...] = (
    "事業本部", "本部", "事業部", "部", "課", "室", "グループ", "チーム", "センター", "局", "係", "ユニット",
    "Division", "Dept.",
)
# Business functions that name a department on their own after a title ("Manager | Sales EMEA").
FUNCTION_WORDS: tuple[str, ...] = (
    "sales", "marketing", "engineering", "legal", "finance", "accounting", "operations", "support",
    "customer success", "customer service", "human resources", "hr", "it", "r&d", "research and development",
    "procurement", "purchasing", "product", "business development", "communications", "affairs",
    "regulatory affairs", "public relations", "compliance", "risk", "treasury", "logistics", "administration",
    "vertrieb", "einkauf", "buchhaltung", "personal", "entwicklung", "marketing", "technik", "verwaltung",
    "ventes", "achats", "comptabilité", "ressources humaines", "juridique", "ventas", "compras",
)

# Social networks: host (without "www.") -> canonical host for the stored URL.
SOCIAL_HOSTS: dict[str, str] = {
    "linkedin.com": "linkedin.com", "de.linkedin.com": "linkedin.com", "jp.linkedin.com": "linkedin.com",
    "uk.linkedin.com": "linkedin.com", "fr.linkedin.com": "linkedin.com", "lnkd.in": "lnkd.in",
    "twitter.com": "x.com", "x.com": "x.com", "github.com": "github.com", "facebook.com": "facebook.com",
    "fb.com": "facebook.com", "instagram.com": "instagram.com", "xing.com": "xing.com",
}
# "Twitter: @name" style handles: label -> URL prefix.
SOCIAL_HANDLE_LABELS: dict[str, str] = {
    "twitter": "https://x.com/", "x": "https://x.com/", "instagram": "https://instagram.com/",
    "github": "https://github.com/", "insta": "https://instagram.com/",
}

# Street words (lower-case) that make a line with a house number a street line.
STREET_WORDS: tuple[str, ...] = (
    "street", "st", "st.", "avenue", "ave", "ave.", "road", "rd", "rd.", "boulevard", "blvd", "blvd.",
    "drive", "dr.", "lane", "ln", "ln.", "way", "court", "ct", "ct.", "place", "pl", "pl.", "square", "sq",
    "parkway", "pkwy", "highway", "hwy", "terrace", "circle", "cir", "plaza", "row", "crescent", "close",
    "mews", "gardens", "suite", "ste", "ste.", "floor", "fl", "fl.", "room", "rm", "building", "bldg",
    "unit", "apt", "tower", "house", "center", "centre", "park", "wharf", "quay",  # English
    "rue", "avenue", "av.", "boulevard", "bd", "bd.", "chemin", "allée", "quai", "impasse", "route",
    "cours", "place",  # French
    "calle", "avenida", "avda.", "paseo", "plaza", "via", "viale", "piazza", "corso", "rua",  # es it pt
)
# German street suffixes glued to the street name ("Musterstraße 12").
STREET_SUFFIXES_DE: tuple[str, ...] = (
    "straße", "strasse", "str.", "weg", "platz", "allee", "gasse", "ring", "damm", "ufer", "chaussee",
    "markt", "steig", "pfad", "graben", "kai",
)

# United States: two-letter codes and names.
US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida",
    "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico",
}
# Canada: provinces.
CA_PROVINCES: dict[str, str] = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "ON": "Ontario", "PE": "Prince Edward Island",
    "QC": "Quebec", "SK": "Saskatchewan", "NT": "Northwest Territories", "NU": "Nunavut", "YT": "Yukon",
}
# Country names as written in signatures (lower-case) -> ISO 3166 region for phone numbers.
COUNTRIES: dict[str, str] = {
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "united states": "US", "united states of america": "US",
    "uk": "GB", "u.k.": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "ireland": "IE", "canada": "CA", "australia": "AU",
    "new zealand": "NZ", "germany": "DE", "deutschland": "DE", "austria": "AT", "österreich": "AT",
    "switzerland": "CH", "schweiz": "CH", "suisse": "CH", "france": "FR", "belgium": "BE",
    "belgique": "BE", "netherlands": "NL", "the netherlands": "NL", "nederland": "NL", "spain": "ES",
    "españa": "ES", "italy": "IT", "italia": "IT", "portugal": "PT", "sweden": "SE", "sverige": "SE",
    "norway": "NO", "norge": "NO", "denmark": "DK", "danmark": "DK", "finland": "FI", "poland": "PL",
    "polska": "PL", "japan": "JP", "日本": "JP", "china": "CN", "中国": "CN", "korea": "KR",
    "south korea": "KR", "singapore": "SG", "india": "IN", "brazil": "BR", "brasil": "BR", "mexico": "MX",
    "méxico": "MX", "russia": "RU", "israel": "IL", "luxembourg": "LU", "hong kong": "HK", "taiwan": "TW",
}
# Japanese prefectures.
JP_PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)

# Sign-offs that open a closing (lower-case prefixes of a whole line).
SIGN_OFFS: tuple[str, ...] = (
    "regards", "best regards", "kind regards", "warm regards", "best wishes", "best", "all the best",
    "thanks", "thank you", "many thanks", "thx", "cheers", "sincerely", "yours sincerely", "yours truly",
    "yours", "respectfully", "take care", "talk soon", "with thanks", "cordially", "warmly",  # English
    "mit freundlichen grüßen", "mit freundlichen grüssen", "freundliche grüße", "viele grüße",
    "beste grüße", "liebe grüße", "gruß", "grüße", "lg", "mfg", "vg",  # German
    "cordialement", "bien cordialement", "bien à vous", "salutations", "meilleures salutations",
    "merci", "amicalement", "bonne journée",  # French
    "saludos", "un saludo", "atentamente", "cordiali saluti", "distinti saluti", "saluti", "grazie",
    "met vriendelijke groet", "groeten", "med vänlig hälsning", "mvh", "med venlig hilsen",  # es it nl sv da
    "с уважением", "спасибо", "всего доброго", "pozdrawiam", "z poważaniem",  # Russian, Polish
    "よろしくお願い", "宜しくお願い", "よろしく", "以上", "敬具", "草々",  # Japanese
)

# Disclaimer cues (lower-case substrings): a line holding one is never signature content.
DISCLAIMER_CUES: tuple[str, ...] = (
    "confidential", "intended recipient", "intended solely", "privileged", "if you have received this",
    "if you are not the", "disclaimer", "unauthorized", "unauthorised", "do not disseminate",
    "please notify the sender", "please consider the environment", "virus", "legally binding",
    "vertraulich", "irrtümlich", "nicht der richtige adressat", "unbefugte",  # German
    "strictement confidentiel", "destinataire", "ce message et toutes",  # French
    "機密", "秘密情報", "誤って", "誤送信", "第三者", "本メールは", "このメールは", "削除して",  # Japanese
)
# Mobile-client footers (lower-case substrings).
MOBILE_FOOTER_CUES: tuple[str, ...] = (
    "sent from my", "sent from mobile", "sent via", "sent using", "get outlook for", "sent from outlook",
    "sent from yahoo mail", "sent from samsung", "von meinem iphone gesendet", "von meinem ipad",
    "von meinem smartphone", "gesendet von", "envoyé de mon", "envoyé depuis", "enviado desde mi",
    "enviado do meu", "inviato da", "verzonden vanaf", "skickat från", "iphoneから送信", "ipadから送信",
    "androidから送信", "スマートフォンから送信", "携帯から送信", "via mobile", "from my mobile",
    # mailing-list archive footers ("Sent from: <archive URL>", "View this message in context: <URL>")
    "sent from:", "view this message in context",
)

# Post-nominal letters and name suffixes that follow a name after a comma.
NAME_CREDENTIALS: tuple[str, ...] = (
    "cfa", "cpa", "mba", "phd", "ph.d.", "ph.d", "md", "m.d.", "jd", "j.d.", "esq", "esq.", "pe", "p.e.",
    "pmp", "cfp", "frm", "caia", "msc", "m.sc.", "bsc", "ma", "ms", "jr", "jr.", "sr", "sr.", "ii", "iii",
    "iv", "dr.", "mph", "rn", "llm", "ll.m.", "dipl.-ing.", "mcse", "acca", "aca", "fca",
)

# Capitalised words that are never a person's name in a signature (lower-case).
NAME_STOPWORDS: frozenset[str] = frozenset((
    "thanks", "thank", "regards", "best", "cheers", "sincerely", "yours", "office", "phone", "mobile",
    "email", "e-mail", "mail", "fax", "tel", "cell", "web", "website", "www", "http", "https", "sent",
    "from", "to", "subject", "date", "the", "and", "of", "for", "in", "at", "on", "by", "with", "a", "an",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
    "please", "note", "hello", "hi", "dear", "team", "all", "everyone", "attachment", "attachments",
    "confidential", "notice", "original", "message", "forwarded", "reply", "url", "address", "enron",
    "north", "south", "east", "west", "america", "americas", "corp", "inc", "ltd", "llc", "company",
    "group", "services", "department", "dept", "division", "street", "suite", "floor", "houston",
    "london", "new", "york", "san", "los", "angeles", "francisco", "washington", "texas", "california",
    "via", "mobile", "iphone", "ipad", "android", "blackberry", "outlook", "main", "direct", "home",
    "your", "our", "my", "me", "we", "you", "it", "is", "are", "be", "will", "can", "this", "that",
    "good", "great", "love", "warm", "kind", "many", "take", "care", "talk", "soon", "more", "info",
    "information", "news", "update", "meeting", "call", "today", "tomorrow", "yes", "no", "ok", "okay",
    "inc.", "ltd.", "corp.", "co.", "mit", "freundlichen", "grüßen", "cordialement", "saludos",
    "skype", "twitter", "linkedin", "facebook", "github", "instagram", "xing", "pager", "voice",
    "contact", "us", "visit", "click", "here", "home", "page", "online", "free", "now", "new", "open",
))

# Labels that introduce a value on a signature line and are removed from it (lower-case).
FIELD_LABELS: tuple[str, ...] = (
    "e-mail", "email", "e mail", "mail", "e", "url", "web", "website", "homepage", "internet", "www",
    "address", "addr", "adresse", "anschrift", "dirección", "indirizzo", "住所", "所在地", "メール",
    "eメール", "ｅメール", "mail address", "email address", "e-mail address", "ホームページ", "hp", "skype",
    "linkedin", "twitter", "x", "github", "facebook", "instagram", "xing", "company", "firma", "会社",
    "name", "氏名", "名前", "title", "position", "役職", "所属", "部署",
)

# "Label: value" lines that say which field they hold (lower-case label -> field).
LINE_LABELS: dict[str, str] = {
    "company": "company", "company name": "company", "organization": "company", "organisation": "company",
    "firma": "company", "unternehmen": "company", "société": "company", "societe": "company", "empresa": "company",
    "department": "department", "dept": "department", "division": "department", "abteilung": "department",
    "service": "department", "departamento": "department",
    "title": "title", "job title": "title", "position": "title", "role": "title", "funktion": "title",
    "poste": "title", "fonction": "title", "cargo": "title",
    "name": "name", "full name": "name", "nom": "name", "nombre": "name",
    # Japanese
    "会社名": "company", "会社": "company", "社名": "company", "企業名": "company", "所属会社": "company",
    "部署": "department", "部署名": "department", "所属": "department", "部門": "department",
    "役職": "title", "肩書": "title", "肩書き": "title", "職位": "title",
    "氏名": "name", "名前": "name", "お名前": "name", "担当": "name", "担当者": "name",
}

# Country-code top-level domains -> phone region (generic TLDs give no hint).
TLD_REGIONS: dict[str, str] = {
    "jp": "JP", "de": "DE", "fr": "FR", "uk": "GB", "gb": "GB", "ie": "IE", "ca": "CA", "au": "AU",
    "nz": "NZ", "at": "AT", "ch": "CH", "be": "BE", "nl": "NL", "es": "ES", "it": "IT", "pt": "PT",
    "se": "SE", "no": "NO", "dk": "DK", "fi": "FI", "pl": "PL", "cn": "CN", "kr": "KR", "sg": "SG",
    "in": "IN", "br": "BR", "mx": "MX", "ru": "RU", "il": "IL", "lu": "LU", "hk": "HK", "tw": "TW",
    "us": "US", "cz": "CZ", "hu": "HU", "gr": "GR", "tr": "TR", "za": "ZA", "ar": "AR", "cl": "CL",
}
# Language of the mail -> phone region, the last hint before the default.
LANGUAGE_REGIONS: dict[str, str] = {
    "ja": "JP", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT", "sv": "SE",
    "da": "DK", "nb": "NO", "no": "NO", "fi": "FI", "pl": "PL", "ru": "RU", "zh": "CN", "ko": "KR",
    "en": "US",
}
# Region of an address country as the parser reports it.
COUNTRY_REGIONS = COUNTRIES

WORD_RE = re.compile(r"[\w'’.&-]+")
