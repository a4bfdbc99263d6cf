"""Reply-zoning patterns as data: one table per cue, one comment per language.

The tables are *features* for the learned line classifier (``features.py``), not rules: a hit says
"this line looks like a German Outlook header field", the model decides with the neighbours.

Every regex here runs in linear time on hostile input: no nested quantifiers, every repetition bounded,
word lists compiled into a prefix trie (plain alternation, no backtracking blow-up), and callers feed at
most :data:`MAX_CHARS` characters of a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "MAX_CHARS",
    "trie_regex",
    "HEADER_FIELDS",
    "ORIGINAL_MESSAGE",
    "FORWARD_MARKERS",
    "QUOTE_VERBS",
    "QUOTE_LEADS",
    "MOBILE_FOOTERS",
    "SIGN_OFFS",
    "GREETINGS",
    "DISCLAIMER_WORDS",
    "LIST_FOOTER_WORDS",
    "SIGNATURE_LABELS",
    "JOB_TITLES",
    "COMPANY_WORDS",
    "MONTHS",
    "WEEKDAYS",
    "RE",
]

# A regex never sees more of a line than this: long lines are cut before matching.
MAX_CHARS = 500


def trie_regex(words: Iterable[str]) -> str:
    """One alternation of literal words as a prefix trie: ``(?:ab(?:c|d)|x)``.

    A trie lets the matcher reject a line on its first character instead of trying every word in
    turn, and its alternations hold no quantifier, so matching stays linear.
    """
    trie: dict = {}
    for word in sorted({w for w in words if w}):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and not end:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if end else body

    return emit(trie)


# --- Outlook-style header fields ("From: … Sent: … To: … Subject: …"), by role ------------------
# Matched case-insensitively at the start of a line, optionally wrapped in * or _ (Gmail/Outlook
# plain-text bold) and followed by ":" or the full-width "：".
HEADER_FIELDS: dict[str, dict[str, list[str]]] = {
    "from": {
        "en": ["from"],
        "de": ["von", "absender"],
        "fr": ["de", "expéditeur"],
        "es": ["de", "remitente"],
        "it": ["da", "mittente"],
        "pt": ["de", "remetente"],
        "nl": ["van", "afzender"],
        "sv": ["från", "avsändare"],
        "da": ["fra", "afsender"],
        "no": ["fra", "avsender"],
        "fi": ["lähettäjä"],
        "pl": ["od", "nadawca"],
        "ru": ["от", "отправитель"],
        "uk": ["від", "відправник"],
        "zh": ["发件人", "寄件者", "發件人"],
        "ja": ["差出人", "送信者"],
        "hu": ["feladó"],
        "cs": ["odesílatel"],
        "tr": ["kimden"],
    },
    "sent": {
        "en": ["sent", "date", "sent on"],
        "de": ["gesendet", "datum", "gesendet am"],
        "fr": ["envoyé", "envoyé le", "date", "message du"],
        "es": ["enviado", "enviado el", "fecha"],
        "it": ["inviato", "data", "inviato il"],
        "pt": ["enviado", "enviada em", "enviado em", "data"],
        "nl": ["verzonden", "datum", "verstuurd"],
        "sv": ["skickat", "datum", "skickades"],
        "da": ["sendt", "dato"],
        "no": ["sendt", "dato"],
        "fi": ["lähetetty", "päivämäärä", "päiväys"],
        "pl": ["wysłano", "data", "wysłany"],
        "ru": ["отправлено", "дата", "отправлено в"],
        "uk": ["надіслано", "дата", "відправлено"],
        "zh": ["发送时间", "日期", "寄件日期", "發送時間", "时间"],
        "ja": ["送信日時", "日付", "送信日"],
        "hu": ["elküldve", "dátum"],
        "cs": ["odesláno", "datum"],
        "tr": ["gönderildi", "tarih"],
    },
    "to": {
        "en": ["to"],
        "de": ["an"],
        "fr": ["à", "a", "pour"],
        "es": ["para", "a"],
        "it": ["a", "per"],
        "pt": ["para"],
        "nl": ["aan"],
        "sv": ["till"],
        "da": ["til"],
        "no": ["til"],
        "fi": ["vastaanottaja"],
        "pl": ["do"],
        "ru": ["кому"],
        "uk": ["кому"],
        "zh": ["收件人"],
        "ja": ["宛先", "送信先"],
        "hu": ["címzett"],
        "cs": ["komu"],
        "tr": ["kime"],
    },
    "cc": {
        "en": ["cc", "bcc"],
        "de": ["kopie", "cc"],
        "fr": ["cc", "copie à", "copie"],
        "es": ["cc", "copia"],
        "it": ["cc", "copia"],
        "pt": ["cc", "com cópia"],
        "nl": ["cc", "kopie"],
        "sv": ["kopia"],
        "da": ["cc", "kopi til"],
        "no": ["kopi"],
        "fi": ["kopio"],
        "pl": ["dw", "kopia"],
        "ru": ["копия"],
        "uk": ["копія"],
        "zh": ["抄送", "副本"],
        "ja": ["cc", "写し"],
        "hu": ["másolatot kap"],
        "cs": ["kopie"],
        "tr": ["bilgi"],
    },
    "subject": {
        "en": ["subject", "re", "subj"],
        "de": ["betreff"],
        "fr": ["objet", "sujet"],
        "es": ["asunto"],
        "it": ["oggetto"],
        "pt": ["assunto"],
        "nl": ["onderwerp"],
        "sv": ["ämne"],
        "da": ["emne"],
        "no": ["emne"],
        "fi": ["aihe"],
        "pl": ["temat"],
        "ru": ["тема"],
        "uk": ["тема"],
        "zh": ["主题", "主旨", "主題"],
        "ja": ["件名"],
        "hu": ["tárgy"],
        "cs": ["předmět"],
        "tr": ["konu"],
    },
}

# --- "-----Original Message-----" and its translations -----------------------------------------
ORIGINAL_MESSAGE: dict[str, list[str]] = {
    "en": ["original message", "original mail", "original e-mail", "reply message", "original email"],
    "de": ["ursprüngliche nachricht", "originalnachricht", "ursprüngliche e-mail", "original-nachricht"],
    "fr": ["message d'origine", "message original", "message d’origine"],
    "es": ["mensaje original"],
    "it": ["messaggio originale"],
    "pt": ["mensagem original"],
    "nl": ["oorspronkelijk bericht", "origineel bericht"],
    "sv": ["ursprungligt meddelande", "originalmeddelande"],
    "da": ["oprindelig meddelelse", "oprindelig besked", "original meddelelse"],
    "no": ["opprinnelig melding", "original melding"],
    "fi": ["alkuperäinen viesti"],
    "pl": ["oryginalna wiadomość", "wiadomość oryginalna"],
    "ru": ["исходное сообщение", "оригинальное сообщение", "original message"],
    "uk": ["оригінальне повідомлення", "вихідне повідомлення"],
    "zh": ["原始邮件", "原始郵件", "原邮件"],
    "ja": ["元のメッセージ", "オリジナルメッセージ", "元メッセージ"],
    "hu": ["eredeti üzenet"],
    "cs": ["původní zpráva"],
    "tr": ["orijinal mesaj", "özgün ileti"],
}

# --- forward markers ("---------- Forwarded message ---------", "Begin forwarded message:") -----
FORWARD_MARKERS: dict[str, list[str]] = {
    "en": ["forwarded message", "begin forwarded message", "forwarded by", "forwarded e-mail",
           "forwarded email", "forwarded mail", "message forwarded"],
    "de": ["weitergeleitete nachricht", "anfang der weitergeleiteten nachricht", "weitergeleitet von",
           "weitergeleitete e-mail"],
    "fr": ["message transféré", "début du message réexpédié", "message réexpédié", "courriel transféré"],
    "es": ["mensaje reenviado", "inicio del mensaje reenviado", "comienza el mensaje reenviado"],
    "it": ["messaggio inoltrato", "inizio messaggio inoltrato", "messaggio inoltrato da"],
    "pt": ["mensagem encaminhada", "início da mensagem reencaminhada", "mensagem reencaminhada"],
    "nl": ["doorgestuurd bericht", "begin doorgestuurd bericht", "doorgestuurde e-mail"],
    "sv": ["vidarebefordrat meddelande", "vidarebefordrat brev", "vidarebefordrat mejl",
           "början på vidarebefordrat meddelande"],
    "da": ["videresendt meddelelse", "videresendt besked", "videresendt e-mail", "start på videresendt besked"
           ],
    "no": ["videresendt melding", "videresendt e-post", "begynnelse på videresendt melding"],
    "fi": ["välitetty viesti", "edelleenlähetetty viesti"],
    "pl": ["przekazana wiadomość", "wiadomość przekazana", "początek przekazywanej wiadomości"],
    "ru": ["пересылаемое сообщение", "пересланное сообщение", "начало переадресованного сообщения"],
    "uk": ["переслане повідомлення", "пересилане повідомлення", "початок пересланого повідомлення"],
    "zh": ["转发的邮件", "转发邮件", "轉寄郵件", "转发的消息", "下面是被转发的邮件"],
    "ja": ["転送メッセージ", "転送されたメッセージ", "転送メール", "以下転送"],
    "hu": ["továbbított üzenet"],
    "cs": ["přeposlaná zpráva"],
    "tr": ["iletilmiş ileti", "iletilen mesaj"],
}

# --- the verb that ends an "On <date>, <name> wrote:" header -----------------------------------
QUOTE_VERBS: dict[str, list[str]] = {
    "en": ["wrote", "writes", "said", "has written"],
    "de": ["schrieb", "hat geschrieben", "geschrieben"],
    "fr": ["a écrit", "écrit", "a ecrit"],
    "es": ["escribió", "escribio", "ha escrito"],
    "it": ["ha scritto", "scritto"],
    "pt": ["escreveu", "escribió"],
    "nl": ["schreef", "heeft geschreven"],
    "sv": ["skrev"],
    "da": ["skrev"],
    "no": ["skrev"],
    "fi": ["kirjoitti"],
    "pl": ["napisał", "napisała", "napisał(a)", "pisze"],
    "ru": ["написал", "написала", "написал(а)", "пишет"],
    "uk": ["написав", "написала", "написав(ла)", "пише"],
    "zh": ["写道", "寫道"],
    "ja": ["書きました", "のメール", "のメッセージ", "さんは書きました", "さんが書きました"],
    "hu": ["írta"],
    "cs": ["napsal", "napsala", "napsal(a)"],
    "tr": ["yazdı"],
}

# --- the word that opens an "On … wrote:" header ------------------------------------------------
QUOTE_LEADS: dict[str, list[str]] = {
    "en": ["on", "- on", "---- on"],
    "de": ["am", "- am"],
    "fr": ["le", "- le"],
    "es": ["el", "el día"],
    "it": ["il", "in data"],
    "pt": ["em", "no dia"],
    "nl": ["op", "- op"],
    "sv": ["den"],
    "da": ["den"],
    "no": ["den"],
    "fi": [],
    "pl": ["w dniu", "dnia"],
    "ru": [],
    "uk": [],
    "zh": ["在"],
    "ja": [],
}

# --- mobile and client footers ("Sent from my iPhone") ------------------------------------------
MOBILE_FOOTERS: dict[str, list[str]] = {
    "en": ["sent from my", "sent from mail for windows", "sent from outlook", "get outlook for",
           "sent from yahoo mail", "sent from samsung", "sent via", "sent with", "sent from a",
           "sent from typeapp", "sent from the", "sent using", "sent on the go", "sent from iphone",
           "sent from ipad", "sent from gmail", "sent from proton", "sent from blackberry"],
    "de": ["von meinem", "gesendet von", "gesendet mit", "gesendet vom", "diese nachricht wurde von meinem"],
    "fr": ["envoyé de mon", "envoyé depuis mon", "envoyé à partir de", "envoyé avec", "envoyé depuis",
           "obtenir outlook pour"],
    "es": ["enviado desde mi", "enviado desde", "enviado con", "obtener outlook para"],
    "it": ["inviato da", "inviato dal mio", "inviato con", "scarica outlook per"],
    "pt": ["enviado do meu", "enviado do", "enviado a partir do", "enviado de meu", "obter o outlook para"],
    "nl": ["verzonden vanaf mijn", "verstuurd vanaf mijn", "verzonden met", "verzonden vanaf",
           "verstuurd vanaf"],
    "sv": ["skickat från min", "skickat från", "skickades från min"],
    "da": ["sendt fra min", "sendt fra", "sendt med"],
    "no": ["sendt fra min", "sendt fra", "sendt med"],
    "fi": ["lähetetty iphonesta", "lähetetty ipadista", "lähetetty laitteesta", "lähetetty"],
    "pl": ["wysłane z mojego", "wysłane z", "wysłano z"],
    "ru": ["отправлено с моего", "отправлено с", "отправлено из"],
    "uk": ["надіслано з мого", "надіслано з", "відправлено з"],
    "zh": ["发自我的", "从我的", "发自", "寄件自", "從我的"],
    "ja": ["iphoneから送信", "ipadから送信", "androidから送信", "送信元", "スマートフォンから送信",
           "my iphoneから送信"],
}

# --- sign-offs (a short line on its own) --------------------------------------------------------
SIGN_OFFS: dict[str, list[str]] = {
    "en": ["best regards", "kind regards", "warm regards", "regards", "best", "best wishes", "thanks",
           "thank you", "many thanks", "thanks again", "thanks in advance", "cheers", "sincerely",
           "yours sincerely", "sincerely yours", "yours truly", "yours", "cordially", "respectfully",
           "take care", "all the best", "talk soon", "br", "rgds", "thx", "ty", "with thanks", "warmly",
           "thanks so much", "thank you very much", "many thanks in advance", "kind regards and thanks",
           "best regards and thanks", "looking forward", "thanks and regards", "thanks & regards",
           "with best regards", "with kind regards", "have a great day", "have a nice day", "kthxbai"],
    "de": ["mit freundlichen grüßen", "mit freundlichen grüssen", "freundliche grüße", "freundliche grüsse",
           "viele grüße", "viele grüsse", "beste grüße", "beste grüsse", "liebe grüße", "liebe grüsse",
           "schöne grüße", "herzliche grüße", "grüße", "grüsse", "gruß", "gruss", "mfg", "lg", "vg",
           "danke", "vielen dank", "besten dank", "mit besten grüßen", "herzlichen dank", "bis bald"],
    "fr": ["cordialement", "bien cordialement", "bien à vous", "salutations", "merci", "merci d'avance",
           "merci beaucoup", "bonne journée", "amicalement", "sincères salutations", "à bientôt",
           "bien amicalement", "très cordialement", "meilleures salutations", "cdt", "merci d’avance",
           "je vous prie d'agréer", "salutations distinguées"],
    "es": ["saludos", "un saludo", "saludos cordiales", "atentamente", "gracias", "muchas gracias",
           "un abrazo", "cordialmente", "un cordial saludo", "quedo atento", "quedo atenta"],
    "it": ["cordiali saluti", "saluti", "distinti saluti", "grazie", "buona giornata", "a presto",
           "un saluto", "grazie mille", "cordialmente", "grazie e saluti"],
    "pt": ["atenciosamente", "cumprimentos", "abraços", "abraço", "obrigado", "obrigada",
           "melhores cumprimentos", "att", "um abraço", "saudações", "com os melhores cumprimentos"],
    "nl": ["met vriendelijke groet", "met vriendelijke groeten", "vriendelijke groet", "vriendelijke groeten",
           "groeten", "groet", "mvg", "bedankt", "hartelijke groet", "hartelijke groeten", "alvast bedankt"],
    "sv": ["med vänlig hälsning", "med vänliga hälsningar", "vänliga hälsningar", "vänlig hälsning",
           "hälsningar", "hälsning", "mvh", "tack", "tack på förhand", "bästa hälsningar", "ha det bra"],
    "da": ["med venlig hilsen", "venlig hilsen", "venlige hilsner", "hilsen", "mvh", "kh", "tak",
           "de bedste hilsner", "bedste hilsner", "kærlig hilsen", "vh"],
    "no": ["med vennlig hilsen", "vennlig hilsen", "hilsen", "mvh", "takk", "beste hilsen", "hilsener"],
    "fi": ["ystävällisin terveisin", "terveisin", "kiitos", "parhain terveisin", "yst. terv", "t.",
           "kiittäen", "ystävällisesti"],
    "pl": ["pozdrawiam", "z poważaniem", "z powazaniem", "dziękuję", "dziekuje", "pozdrawiam serdecznie",
           "serdecznie pozdrawiam", "pozdrowienia", "z wyrazami szacunku", "łączę pozdrowienia",
           "serdeczne pozdrowienia"],
    "ru": ["с уважением", "спасибо", "всего доброго", "с наилучшими пожеланиями", "благодарю",
           "всего наилучшего", "заранее спасибо", "с уважением и благодарностью"],
    "uk": ["з повагою", "дякую", "з найкращими побажаннями", "щиро", "всього найкращого",
           "заздалегідь дякую"],
    "zh": ["此致", "敬礼", "此致敬礼", "谢谢", "祝好", "顺祝商祺", "顺颂商祺", "祝商祺", "多谢", "谢谢！"],
    "ja": ["よろしくお願いいたします", "よろしくお願いします", "よろしくお願い致します", "宜しくお願いいたします",
           "宜しくお願い致します", "宜しくお願いします", "以上、よろしくお願いいたします", "以上、よろしくお願いします",
           "以上です", "以上", "今後ともよろしくお願いいたします", "引き続きよろしくお願いいたします",
           "ありがとうございました", "ありがとうございます", "取り急ぎご連絡まで", "取り急ぎ失礼いたします",
           "何卒よろしくお願い申し上げます", "よろしくお願い申し上げます", "どうぞよろしくお願いいたします"],
}

# --- greetings (first lines of a message) -------------------------------------------------------
GREETINGS: dict[str, list[str]] = {
    "en": ["hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening", "greetings",
           "hi all", "hi team", "hello everyone", "hi everyone", "hello all", "hiya", "morning",
           "to whom it may concern", "hi folks", "hello team", "dear all", "dear sir", "dear madam"],
    "de": ["hallo", "liebe", "lieber", "sehr geehrte", "sehr geehrter", "sehr geehrte damen und herren",
           "guten tag", "guten morgen", "moin", "servus", "hi", "grüß gott", "hallo zusammen", "liebes team"],
    "fr": ["bonjour", "bonsoir", "salut", "cher", "chère", "chers", "madame", "monsieur",
           "madame, monsieur", "coucou", "bonjour à tous"],
    "es": ["hola", "estimado", "estimada", "estimados", "buenos días", "buenas tardes", "buenas noches",
           "querido", "querida", "hola a todos"],
    "it": ["ciao", "buongiorno", "buonasera", "gentile", "gentili", "salve", "caro", "cara", "egregio",
           "spettabile", "gentilissimo", "gentilissima"],
    "pt": ["olá", "ola", "oi", "prezado", "prezada", "prezados", "bom dia", "boa tarde", "boa noite",
           "caro", "cara", "exmo", "exma"],
    "nl": ["hallo", "hoi", "beste", "geachte", "goedemorgen", "goedemiddag", "dag", "hey", "hallo allemaal"],
    "sv": ["hej", "hejsan", "hallå", "god morgon", "bästa", "hej alla", "tja"],
    "da": ["hej", "kære", "hejsa", "goddag", "god morgen", "hej alle"],
    "no": ["hei", "hallo", "kjære", "god morgen", "hei alle"],
    "fi": ["hei", "moi", "hyvä", "terve", "huomenta", "moikka", "hyvää päivää", "arvoisa"],
    "pl": ["cześć", "czesc", "witam", "dzień dobry", "dzien dobry", "szanowny", "szanowna", "szanowni",
           "hej", "witajcie", "szanowni państwo"],
    "ru": ["здравствуйте", "привет", "добрый день", "уважаемый", "уважаемая", "уважаемые", "доброе утро",
           "добрый вечер", "коллеги"],
    "uk": ["добрий день", "вітаю", "привіт", "шановний", "шановна", "шановні", "доброго дня", "колеги"],
    "zh": ["您好", "你好", "尊敬的", "各位好", "大家好", "亲爱的", "各位"],
    "ja": ["お世話になっております", "お世話になります", "いつもお世話になっております", "こんにちは",
           "ご担当者様", "各位", "はじめまして", "お疲れ様です", "お疲れさまです", "拝啓", "初めまして",
           "突然のご連絡失礼いたします", "大変お世話になっております"],
}

# --- confidentiality notices, virus-scan and external-sender banners (anywhere in a line) --------
DISCLAIMER_WORDS: dict[str, list[str]] = {
    "en": ["confidential", "intended recipient", "intended solely", "privileged", "prohibited",
           "received this e-mail in error", "received this email in error", "received this message in error",
           "in error, please", "disclaimer", "this e-mail and any attachments",
           "this email and any attachments",
           "scanned for viruses", "virus", "originated from outside", "external email", "external sender",
           "do not click links", "unauthorised", "unauthorized", "legally binding", "notify the sender",
           "delete this message", "strictly forbidden", "not the intended", "caution:", "[external]",
           "views expressed", "does not accept liability", "accepts no liability"],
    "de": ["vertraulich", "diese e-mail enthält", "irrtümlich", "unbefugte", "nicht gestattet",
           "informieren sie bitte sofort den absender", "nicht der richtige adressat", "haftung",
           "pflichtangaben", "sitz der gesellschaft", "registergericht", "handelsregister", "amtsgericht"],
    "fr": ["confidentiel", "confidentielle", "destinataire", "strictement interdit", "par erreur",
           "ce message et toutes les pièces jointes", "avertissement", "ce courriel"],
    "es": ["confidencial", "destinatario", "prohibida", "por error", "este mensaje y sus anexos",
           "aviso legal", "este correo"],
    "it": ["riservato", "riservata", "riservate", "riservati", "destinatario", "per errore", "vietato",
           "vietata",
           "questo messaggio e i suoi allegati", "informativa"],
    "pt": ["confidencial", "destinatário", "por engano", "proibida", "esta mensagem e os seus anexos",
           "aviso legal"],
    "nl": ["vertrouwelijk", "geadresseerde", "abusievelijk", "niet toegestaan", "dit bericht is uitsluitend",
           "aan dit bericht kunnen geen rechten"],
    "sv": ["konfidentiell", "sekretess", "felaktigt", "mottagare", "detta meddelande är avsett"],
    "da": ["fortrolig", "modtager", "ved en fejl", "denne e-mail er kun"],
    "no": ["konfidensiell", "taushetsbelagt", "ved en feil", "mottaker", "denne e-posten"],
    "fi": ["luottamuksellinen", "vastaanottaja", "erehdyksessä", "tämä viesti on tarkoitettu"],
    "pl": ["poufne", "poufna", "poufnych", "poufnymi", "adresat", "omyłkowo", "zabronione",
           "ta wiadomość jest przeznaczona"],
    "ru": ["конфиденциальная", "конфиденциальную", "конфиденциальной", "конфиденциальные", "конфиденциальным",
           "конфиденциально", "адресат", "по ошибке", "запрещено", "данное сообщение"],
    "uk": ["конфіденційна", "конфіденційну", "конфіденційної", "конфіденційні", "конфіденційним",
           "конфіденційним", "адресат", "помилково", "заборонено", "це повідомлення"],
    "zh": ["机密", "保密", "机密信息", "仅供", "收件人使用", "误收", "本邮件"],
    "ja": ["機密", "秘密情報", "誤って", "誤送信", "本メールは", "このメールは", "削除してください",
           "第三者への開示", "守秘義務", "本メール"],
}

# --- mailing-list and notification footers ------------------------------------------------------
LIST_FOOTER_WORDS: dict[str, list[str]] = {
    "en": ["mailing list", "listinfo", "unsubscribe", "you received this message because you are subscribed",
           "to unsubscribe from this group", "reply to this email directly", "view it on github",
           "you are receiving this because", "to post to this group", "for more options, visit",
           "google groups", "mailman", "list archive", "list-unsubscribe", "manage your subscription",
           "email preferences", "update your preferences", "you are subscribed", "this list",
           "sent to the list", "digest", "mute the thread"],
    "de": ["abmelden", "newsletter abbestellen", "mailingliste", "verteiler", "abbestellen"],
    "fr": ["se désabonner", "désinscrire", "liste de diffusion", "désabonnement"],
    "es": ["darse de baja", "lista de correo", "cancelar suscripción"],
    "it": ["annulla iscrizione", "cancellarti", "mailing list"],
    "pt": ["cancelar inscrição", "descadastrar", "lista de e-mails"],
    "nl": ["afmelden", "uitschrijven", "mailinglijst"],
    "sv": ["avregistrera", "avsluta prenumeration", "e-postlista"],
    "da": ["afmeld", "frameld", "postliste"],
    "no": ["meld deg av", "avslutt abonnement", "e-postliste"],
    "fi": ["peruuta tilaus", "postituslista"],
    "pl": ["wypisz się", "lista dyskusyjna", "rezygnacja z subskrypcji"],
    "ru": ["отписаться", "список рассылки", "рассылка"],
    "uk": ["відписатися", "список розсилки", "розсилка"],
    "zh": ["退订", "邮件列表", "取消订阅"],
    "ja": ["配信停止", "登録解除", "メーリングリスト", "配信解除", "メルマガ"],
}

# --- labels that start contact lines in a signature block --------------------------------------
SIGNATURE_LABELS: dict[str, list[str]] = {
    "en": ["tel", "phone", "mobile", "cell", "fax", "mob", "direct", "office", "t", "m", "f", "e", "w",
           "p", "ph", "email", "e-mail", "web", "website", "skype", "linkedin", "twitter", "address", "main",
           "toll free", "call", "dir"],
    "de": ["telefon", "handy", "mobil", "tel.", "e-mail", "anschrift", "durchwahl", "zentrale"],
    "fr": ["téléphone", "tél", "portable", "mobile", "courriel", "adresse", "ligne directe"],
    "es": ["teléfono", "telefono", "móvil", "movil", "celular", "correo", "dirección"],
    "it": ["telefono", "cellulare", "cell", "tel", "indirizzo", "sede"],
    "pt": ["telefone", "telemóvel", "celular", "endereço", "tel"],
    "nl": ["telefoon", "mobiel", "tel", "adres"],
    "sv": ["telefon", "mobil", "tfn", "växel", "adress"],
    "da": ["telefon", "mobil", "tlf", "direkte", "adresse"],
    "no": ["telefon", "mobil", "tlf", "adresse"],
    "fi": ["puh", "puhelin", "matkapuhelin", "gsm", "osoite"],
    "pl": ["telefon", "tel. kom", "kom", "tel", "adres"],
    "ru": ["телефон", "тел", "моб", "факс", "адрес", "эл. почта"],
    "uk": ["телефон", "тел", "моб", "факс", "адреса"],
    "zh": ["电话", "手机", "传真", "邮箱", "地址", "網址", "电邮", "電話"],
    "ja": ["tel", "fax", "電話", "携帯", "住所", "mail", "e-mail", "ＴＥＬ", "ＦＡＸ", "携帯電話", "〒", "url"],
}

# --- job titles and departments (a signature line, not a sentence) ------------------------------
JOB_TITLES: dict[str, list[str]] = {
    "en": ["manager", "director", "ceo", "cto", "cfo", "coo", "cmo", "vp", "vice president", "president",
           "engineer", "developer", "consultant", "account executive", "head of", "founder", "co-founder",
           "partner", "analyst", "specialist", "coordinator", "officer", "administrator", "assistant",
           "representative", "team lead", "lead", "architect", "owner", "associate", "sales", "marketing",
           "department", "support", "customer success", "executive", "chairman", "principal", "intern",
           "recruiter", "designer", "accountant", "attorney", "counsel", "secretary", "supervisor"],
    "de": ["geschäftsführer", "geschäftsführerin", "leiter", "leiterin", "vertrieb", "abteilung",
           "projektleiter", "berater", "beraterin", "sachbearbeiter", "referent", "referentin", "vorstand",
           "inhaber", "einkauf", "buchhaltung", "teamleiter"],
    "fr": ["directeur", "directrice", "responsable", "chef de projet", "chargé", "chargée", "ingénieur",
           "gérant", "gérante", "commercial", "commerciale", "service", "président", "assistante"],
    "es": ["gerente", "director", "directora", "jefe", "jefa", "responsable", "ingeniero", "ingeniera",
           "departamento", "ventas", "asesor", "asesora"],
    "it": ["direttore", "direttrice", "responsabile", "ingegnere", "ufficio", "commerciale", "amministratore",
           "titolare", "consulente"],
    "pt": ["diretor", "diretora", "gerente", "gestor", "gestora", "engenheiro", "engenheira", "coordenador",
           "coordenadora", "departamento", "comercial", "consultor", "consultora"],
    "nl": ["directeur", "manager", "adviseur", "medewerker", "afdeling", "verkoop", "eigenaar",
           "projectleider", "accountmanager"],
    "sv": ["chef", "vd", "säljare", "konsult", "avdelning", "projektledare", "ansvarig", "ekonomi"],
    "da": ["direktør", "chef", "konsulent", "afdeling", "salg", "projektleder", "ansvarlig", "indehaver"],
    "no": ["daglig leder", "leder", "konsulent", "avdeling", "salg", "prosjektleder", "rådgiver"],
    "fi": ["toimitusjohtaja", "johtaja", "päällikkö", "myynti", "konsultti", "asiantuntija", "osasto"],
    "pl": ["kierownik", "dyrektor", "prezes", "specjalista", "dział", "konsultant", "menedżer", "handlowiec"],
    "ru": ["директор", "менеджер", "руководитель", "отдел", "специалист", "генеральный", "начальник"],
    "uk": ["директор", "менеджер", "керівник", "відділ", "спеціаліст", "начальник"],
    "zh": ["经理", "总监", "总经理", "主管", "部门", "销售", "工程师", "董事"],
    "ja": ["部長", "課長", "係長", "主任", "担当", "営業部", "代表取締役", "取締役", "社長", "マネージャー",
           "営業", "本部", "事業部", "室長", "グループ", "エンジニア", "部"],
}

# --- legal forms and words that mark a company name ---------------------------------------------
COMPANY_WORDS: dict[str, list[str]] = {
    "en": ["inc", "ltd", "llc", "llp", "corp", "corporation", "company", "co.", "group", "limited", "plc",
           "holdings", "technologies", "solutions", "consulting", "labs", "systems", "partners"],
    "de": ["gmbh", "ag", "kg", "ug", "e.v.", "gmbh & co. kg"],
    "fr": ["sa", "sas", "sarl", "sasu", "eurl"],
    "es": ["s.a.", "s.l.", "sl", "s.a.u."],
    "it": ["s.p.a.", "spa", "srl", "s.r.l.", "snc"],
    "pt": ["lda", "ltda", "s.a."],
    "nl": ["b.v.", "bv", "n.v.", "nv"],
    "sv": ["ab", "hb"],
    "da": ["a/s", "aps", "i/s"],
    "no": ["as", "asa"],
    "fi": ["oy", "oyj", "ky"],
    "pl": ["sp. z o.o.", "s.a.", "sp.j."],
    "ru": ["ооо", "оао", "зао", "пао", "ао"],
    "uk": ["тов", "пп", "фоп", "прат"],
    "zh": ["有限公司", "公司", "集团", "股份有限公司"],
    "ja": ["株式会社", "(株)", "（株）", "有限会社", "合同会社"],
}

# --- month and weekday names (dates in quote headers), all languages together -------------------
MONTHS: list[str] = [
    # English
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december",
    # German
    "januar", "jänner", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember", "mär", "okt", "dez",
    # French
    "janv", "janvier", "févr", "février", "mars", "avr", "avril", "juin", "juil", "juillet", "août", "aout",
    "sept", "septembre", "octobre", "novembre", "décembre", "déc",
    # Spanish
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
    "noviembre", "diciembre", "ene", "dic",
    # Italian
    "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre",
    "gen", "mag", "giu", "lug", "ago", "set", "ott",
    # Portuguese
    "janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro",
    "fev", "out", "dez",
    # Dutch
    "januari", "februari", "maart", "mei", "augustus", "oktober",
    # Swedish, Danish, Norwegian
    "januari", "februari", "mars", "maj", "juni", "juli", "augusti", "oktober", "november", "december",
    "marts", "desember", "okt", "des",
    # Finnish
    "tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta", "heinäkuuta",
    "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta",
    # Polish
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
    "października", "listopada", "grudnia", "sty", "lut", "kwi", "cze", "lip", "sie", "wrz", "paź", "lis",
    "gru",
    # Russian
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
    "ноября", "декабря", "янв", "февр", "апр", "авг", "сент", "окт", "нояб", "дек",
    # Finnish, abbreviated
    "tammik", "helmik", "maalisk", "huhtik", "toukok", "kesäk", "heinäk", "elok", "syysk", "lokak", "marrask",
    "jouluk",
    # Russian, abbreviated
    "мар", "июн", "июл", "сен",
    # Ukrainian, abbreviated
    "січ", "лют", "бер", "квіт", "трав", "черв", "лип", "серп", "вер", "жовт", "лист", "груд",
    # Ukrainian
    "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
    "листопада", "грудня",
]

WEEKDAYS: list[str] = [
    # English
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
    # German
    "mo", "di", "mi", "do", "fr", "sa", "so", "montag", "dienstag", "mittwoch", "donnerstag", "freitag",
    "samstag", "sonntag",
    # French
    "lun", "mar", "mer", "jeu", "ven", "sam", "dim", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche",
    # Spanish
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "mié", "vie", "sáb", "dom",
    # Italian
    "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "gio",
    # Portuguese
    "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "seg", "ter", "qua", "qui",
    "sex",
    # Dutch
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "ma", "wo", "vr", "za",
    "zo",
    # Swedish, Danish, Norwegian
    "mån", "tis", "ons", "tors", "fre", "lör", "sön", "måndag", "tisdag", "onsdag", "torsdag", "fredag",
    "lördag", "söndag", "man", "tir", "tor", "lør", "søn", "mandag", "tirsdag", "lørdag", "søndag",
    # Finnish
    "ma", "ti", "ke", "to", "pe", "la", "su", "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai",
    "lauantai", "sunnuntai",
    # Polish
    "pon", "wt", "śr", "czw", "pt", "sob", "niedz", "poniedziałek", "wtorek", "środa", "czwartek", "piątek",
    "sobota", "niedziela",
    # Russian
    "пн", "вт", "ср", "чт", "пт", "сб", "вс", "понедельник", "вторник", "среда", "четверг", "пятница",
    "суббота", "воскресенье",
    # Ukrainian
    "нд", "понеділок", "вівторок", "середа", "четвер", "пʼятниця", "п'ятниця", "субота", "неділя",
]


def _all(table: dict[str, list[str]]) -> list[str]:
    return [w for words in table.values() for w in words]


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Words may be followed by the end of the line or a non-word character, never by more letters.
_END = r"(?![^\W\d_])"
_SEP = r"[-_=—–*~#\s]"

RE: dict[str, re.Pattern[str]] = {
    # "From:", "*Von:*", "差出人：" (matched on the lower-cased, stripped line)
    **{
        f"field_{role}": _c(
            r"[*_]{0,2}(?:" + trie_regex(_all(HEADER_FIELDS[role])) + r")\s{0,4}[*_]{0,2}\s{0,4}[:：]")
        for role in HEADER_FIELDS
    },
    # "-----Original Message-----", "-------- Message d'origine --------", "--- 元のメッセージ ---"
    "original": _c(
        _SEP + r"{0,40}(?:" + trie_regex(_all(ORIGINAL_MESSAGE)) + r")" + _END + r"[^\n]{0,60}"
    ),
    # "---------- Forwarded message ---------", "Begin forwarded message:", "転送メッセージ"
    "forward": _c(_SEP + r"{0,40}(?:" + trie_regex(_all(FORWARD_MARKERS)) + r")" + _END),
    # "... wrote:" at the end of a line (searched in the last 80 characters)
    "verb_end": _c(
        r"(?:^|[\s>)\"'\]])(?:" + trie_regex(_all(QUOTE_VERBS)) + r")\s{0,3}(?:[:：]|-{2,8})?\s{0,3}$"
    ),
    "verb_any": _c(r"(?:^|[\s>)\"'\]])(?:" + trie_regex(_all(QUOTE_VERBS)) + r")" + _END),
    "lead": _c(r"(?:" + trie_regex(_all(QUOTE_LEADS)) + r")\s"),
    "mobile": _c(r"(?:" + trie_regex(_all(MOBILE_FOOTERS)) + r")"),
    "signoff": _c(r"[-–—\s]{0,3}(?:" + trie_regex(_all(SIGN_OFFS)) + r")" + _END + r"[\s,.!:;、。！…~-]{0,6}$"),
    "signoff_start": _c(r"[-–—\s]{0,3}(?:" + trie_regex(_all(SIGN_OFFS)) + r")" + _END),
    "greeting": _c(r"(?:" + trie_regex(_all(GREETINGS)) + r")" + _END),
    "disclaimer": _c(r"(?:" + trie_regex(_all(DISCLAIMER_WORDS)) + r")"),
    "list_footer": _c(r"(?:" + trie_regex(_all(LIST_FOOTER_WORDS)) + r")"),
    "sig_label": _c(r"(?:" + trie_regex(_all(SIGNATURE_LABELS)) + r")\.?\s{0,3}[:.：]?\s{0,3}[+(（]?\d"),
    "sig_label_word": _c(r"(?:" + trie_regex(_all(SIGNATURE_LABELS)) + r")\.?\s{0,3}[:：]"),
    "title": _c(r"(?:^|[\s,|/(])(?:" + trie_regex(_all(JOB_TITLES)) + r")(?:$|[\s,|/).])"),
    "company": _c(r"(?:^|[\s,(])(?:" + trie_regex(_all(COMPANY_WORDS)) + r")(?:$|[\s,).])"),
    "company_ja": _c(r"株式会社|有限会社|合同会社|（株）|\(株\)|有限公司"),
    # Dates: 2024-01-15, 15.01.2024, 1/15/24, "15 janv. 2024", "Jan 15, 2024", 2024年1月1日
    "date_num": _c(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?!\d)"),
    "date_word": _c(r"(?<![^\W\d_])(?:" + trie_regex(MONTHS) + r")\.?\s{0,2}\d{1,4}|\d{1,2}\.?\s{0,2}(?:"
                    + trie_regex(MONTHS) + r")" + _END),
    "date_cjk": _c(r"\d{2,4}\s{0,2}年\s{0,2}\d{1,2}\s{0,2}月\s{0,2}\d{1,2}\s{0,2}日|\d{4}/\d{1,2}/\d{1,2}"),
    "weekday": _c(r"(?<![^\W\d_])(?:" + trie_regex(WEEKDAYS) + r")\.?,?\s"),
    "weekday_cjk": _c(r"[(（][月火水木金土日一二三四五六][)）]|星期[一二三四五六日天]|周[一二三四五六日]"),
    "time": _c(r"(?<!\d)\d{1,2}[:.h]\d{2}(?!\d)|\d{1,2}\s{0,2}[ap]\.?m\.?(?![^\W\d_])|午前|午後|上午|下午"),
    "email": _c(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,190}"),
    "angle_email": _c(r"<[^<>\s@]{0,64}@[^<>\s]{0,255}>|\[mailto:"),
    # "<date> <name> <email>:" at the line end: Gmail without a verb, Japanese Gmail
    "addr_colon_end": _c(r"(?:>|@[\w.-]{1,255}|\))\s{0,2}[:：]\s{0,2}$"),
    "url": _c(r"https?://|www\.[\w-]|\b[\w-]{2,63}\."
              r"(?:com|org|net|io|de|fr|co|jp|uk|ru|cn|eu|nl|se|no|dk|fi|pl|it|es|pt)\b"),
    "phone": _c(r"(?:\+|\(0|\b0)?\d[\d\s().\-/]{6,18}\d"),
    "sig_delim": _c(r"(?:--|—|–|-- |__|___|—————)\s{0,2}$"),
    "rule": _c(r"[-_=*~#—–─━]{4,}\s{0,2}$"),
    "bullet": _c(r"(?:[-*•·▪◦–]|\d{1,2}[.)])\s"),
    "ja_greeting_name": _c(r"[^\s]{1,24}(?:様|さま|さん|殿|御中|各位)[、,。]?\s{0,2}$"),
    "ja_self_intro": _c(r"[^\s]{0,30}(?:です|でございます|と申します)[。.]?\s{0,2}$"),
    "cjk": _c(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"),
    "address": _c(r"\d{1,5}\s{1,3}[\w .'-]{1,40}\s(?:street|st\.|st|avenue|ave|road|rd|blvd|boulevard|lane|"
                  r"drive|dr|suite|ste|floor)\b|(?:straße|strasse|str\.|weg|platz|allee)\s{0,3}\d|"
                  r"\b(?:rue|avenue|boulevard|calle|via|viale|rua|avenida|ulica|ul\.)\s|〒\s{0,2}\d{3}|"
                  r"\d{1,3}-\d{1,3}-\d{1,3}|丁目|\b\d{4,5}\s[A-ZÄÖÜ][a-zäöüß]{2,20}\b|"
                  r"\b\d{5}(?:-\d{4})?\s{0,2}$"),
}


# --- combined matchers: one regex call per line instead of one per table ------------------------
# Start-of-line cues, in priority order (the first alternative that matches wins). Matched on the
# lower-cased, stripped line; ``lastgroup`` names the cue.
START = _c("|".join([
    r"(?P<original>" + RE["original"].pattern + ")",
    r"(?P<forward>" + RE["forward"].pattern + ")",
    *(f"(?P<field_{role}>" + RE[f"field_{role}"].pattern + ")" for role in HEADER_FIELDS),
    r"(?P<mobile>" + RE["mobile"].pattern + ")",
    r"(?P<signoff>" + RE["signoff_start"].pattern + ")",
    r"(?P<greeting>" + RE["greeting"].pattern + ")",
    r"(?P<lead>" + RE["lead"].pattern + ")",
    r"(?P<sig_label>" + RE["sig_label"].pattern + "|" + RE["sig_label_word"].pattern + ")",
    r"(?P<sig_delim>" + RE["sig_delim"].pattern + ")",
    r"(?P<rule>" + RE["rule"].pattern + ")",
    r"(?P<bullet>" + RE["bullet"].pattern + ")",
]))

# Keywords that may sit anywhere in a line; one trie scan finds them, ``KEYWORD_CATEGORY`` says which
# table(s) a hit belongs to (a bit mask over ``KEYWORD_TABLES``).
KEYWORD_TABLES: tuple[str, ...] = ("disclaimer", "list_footer", "title", "company")
KEYWORD_CATEGORY: dict[str, int] = {}
for _bit, _table in enumerate((DISCLAIMER_WORDS, LIST_FOOTER_WORDS, JOB_TITLES, COMPANY_WORDS)):
    for _word in _all(_table):
        KEYWORD_CATEGORY[_word] = KEYWORD_CATEGORY.get(_word, 0) | (1 << _bit)
KEYWORDS = _c(trie_regex(KEYWORD_CATEGORY))

# Dates, times and weekdays, searched only on lines that hold a digit.
DATETIME = _c("|".join([
    r"(?P<date>" + RE["date_cjk"].pattern + "|" + RE["date_num"].pattern + "|" + RE["date_word"].pattern
    + ")",
    r"(?P<time>" + RE["time"].pattern + ")",
    r"(?P<weekday>" + RE["weekday"].pattern + "|" + RE["weekday_cjk"].pattern + ")",
]))

# The verbs that end an "On … wrote:" header, for ``str.endswith`` (much cheaper than a search).
VERB_SUFFIXES: tuple[str, ...] = tuple(sorted({w for w in _all(QUOTE_VERBS)}, key=len, reverse=True))

# --- cheap gates: a costly scan runs only when one of these words occurs as a token of the line --
_TRAILING = ("", ",", ".", ":", ";", ")", "!", "?", "/", "'s", "\"")


def _anchor_tokens(words: Iterable[str]) -> frozenset[str]:
    """The longest plain word of every phrase, with the punctuation that may stick to it."""
    out: set[str] = set()
    for phrase in words:
        parts = [p.strip(",.:;!?()[]\"'") for p in phrase.split()]
        parts = [p for p in parts if p]
        if not parts:
            continue
        word = max(parts, key=len)
        out.update(word + t for t in _TRAILING)
    return frozenset(out)


# Legal forms that are also everyday words ("as", "ab") would open the scan on most lines; they are
# still found when another anchor opens it.
_COMMON = {"as", "ab", "ao", "pp", "co", "sa", "e"}
KEYWORD_ANCHORS: frozenset[str] = _anchor_tokens(w for w in KEYWORD_CATEGORY if w.strip(".") not in _COMMON)
MONTH_TOKENS: frozenset[str] = frozenset(m + t for m in MONTHS for t in _TRAILING)
WEEKDAY_TOKENS: frozenset[str] = frozenset(w + t for w in WEEKDAYS for t in _TRAILING)
# Start-of-line cues for lines that open with a letter (most lines): no separator prefixes to try.
START_WORD = _c("|".join([
    r"(?P<original>(?:" + trie_regex(_all(ORIGINAL_MESSAGE)) + r")" + _END + ")",
    r"(?P<forward>(?:" + trie_regex(_all(FORWARD_MARKERS)) + r")" + _END + ")",
    *(f"(?P<field_{role}>(?:" + trie_regex(_all(HEADER_FIELDS[role])) + r")\s{0,4}[*_]{0,2}\s{0,4}[:：])"
      for role in HEADER_FIELDS),
    r"(?P<mobile>" + RE["mobile"].pattern + ")",
    r"(?P<signoff>(?:" + trie_regex(_all(SIGN_OFFS)) + r")" + _END + ")",
    r"(?P<greeting>" + RE["greeting"].pattern + ")",
    r"(?P<lead>" + RE["lead"].pattern + ")",
    r"(?P<sig_label>" + RE["sig_label"].pattern + "|" + RE["sig_label_word"].pattern + ")",
]))
# "10:00", "10h30", "10 am", and the Nordic "kl. 10.00" / "klo 19.42" (a dot needs the "kl" to be a time).
TIME = _c(r"(?<!\d)\d{1,2}[:h]\d{2}(?!\d)|\d{1,2}\s{0,2}[ap]\.?m\.?(?![^\W\d_])"
          r"|\bklo?\.?\s{0,2}\d{1,2}[.:]\d{2}")
DATE_NUM = _c(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?!\d)")
