"""Cue words that say what a sentence proposes, per language, as data: one compiled pattern per role.

Every pattern is an alternation of literals with bounded gaps — no nested quantifiers — and runs on
one sentence that the detector has already cut to a few hundred characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Cue", "Cues", "CUES", "FYI_PHRASES"]


@dataclass(frozen=True)
class Cue:
    """A pattern and the text it runs on: the lower-cased sentence (``folded``), or the sentence as written.

    Python's ``re`` is several times slower with IGNORECASE on long alternations, so case-insensitive cues
    are compiled lower-cased and run on the lower-cased sentence instead.
    """

    pattern: re.Pattern[str]
    folded: bool

    def search(self, text: str, lower: str) -> re.Match[str] | None:
        return self.pattern.search(lower if self.folded else text)


@dataclass(frozen=True)
class Cues:
    meeting: Cue  # a meeting, visit, meal, demo, webinar...
    video: Cue  # a video conference (makes a "call" a meeting)
    call: Cue  # a phone call
    call_request: Cue | None  # "call me", "give us a ring": a request by itself, even without "please"
    call_exclude: Cue | None  # "call center": not a call
    contact: Cue  # "reach me", 連絡: a call only with a number in the sentence
    task_verb: Cue  # the actions a task asks for or promises
    reader: Cue  # asks the reader to act
    sender: Cue  # the sender promises
    proposal: Cue  # proposes, invites, suggests, announces a plan
    past: Cue  # past tense, thanks for something done
    past_exempt: Cue | None  # past forms that announce a future plan (設定いたしました)
    negation: Cue  # declines, cancels
    fyi: Cue  # notices that are not proposals (closed on, valid until, out of office)
    artifact: Cue  # the notes or recording of a meeting, not a meeting
    personal: Cue | None  # I, we, you: a meeting that is neither proposed nor asked about must involve them


def _fold(pattern: str) -> str:
    """Lower-case a pattern's literals, leaving escapes (\\S, \\B…) as they are."""
    out, escaped = [], False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)


def _c(pattern: str) -> Cue:
    """A case-insensitive cue, run on the lower-cased sentence."""
    return Cue(re.compile(_fold(pattern)), folded=True)


def _r(pattern: str) -> Cue:
    """A cue that runs on the sentence as written (case matters, or Japanese)."""
    return Cue(re.compile(pattern), folded=False)


# Phrases that look like requests but only present something ("please find attached").
FYI_PHRASES = re.compile(
    r"\b(?:please\s+find\s+(?:attached|enclosed|below)|please\s+note|"
    r"please\s+be\s+advised|"
    r"please\s+see\s+(?:attached|below)|attached\s+please\s+find|bitte\s+beachten\s+Sie)\b",
    re.IGNORECASE,
)

# What follows "call me" when it asks for a call ("call me back", "call me at 555…", "call me tomorrow"),
# not when it names ("call me old-fashioned", "don't call me Shirley").
_CALL_NEXT = (
    r"(?=\s*(?:$|[.,!?;:)]|back\b|at\b|on\b|when|whenever|if\b|to\b|tomorrow|today|tonight|any|"
    r"asap|now\b|"
    r"later|after|before|this\b|next\b|around|between|directly|please|urgently|first|in\b|once|"
    r"as\s+soon|about|"
    r"regarding|re\b|for\b|with\b|from\b|during|sometime|early|late|mon|tue|wed|thu|fri|sat|sun|"
    r"jan|feb|mar|"
    r"apr|may\b|jun|jul|aug|sep|oct|nov|dec|\d|\+|\())"
)

# English
EN = Cues(
    meeting=_c(
        r"\b(?:meet|meeting|meetings|meet-up|meetup|catch[\s-]?up|get[\s-]together|sync|sync-up|demo|"
        r"demonstration|presentation|workshop|webinar|session|seminar|training|lunch|dinner|breakfast|"
        r"coffee|drinks|visit|on-site|onsite|kick-?off|appointment|interview|party|event|stand-?up|"
        r"huddle|"
        r"one-on-one|1:1|qbr|business\s+review|walk-?through|come\s+by|stop\s+by|drop\s+by|"
        r"in\s+person|"
        r"conference|sit\s+down|tour|offsite|off-site|see\s+you|get\s+together|host\s+you|chat|"
        r"(?:find|grab|get|have|spare|book|block)\s+(?:\d{1,3}|a\s+few|some|fifteen|thirty|"
        r"half\s+an)\s+"
        r"(?:minutes|mins|hour)|(?:find|grab|set\s+up|block)\s+(?:some\s+)?time|touch\s+base|"
        r"seeing\s+you|"
        r"are\s+you\s+(?:free|available|around)|i'm\s+free|i\s+am\s+free|open\s+house|how\s+about|"
        r"what\s+about|block\s+(?:an|a|one|two)\s+hours?|(?:quarterly|annual|business|contract|design|"
        r"code|"
        r"performance|pipeline|account|project|budget|progress)\s+review|review\s+(?:meeting|call|"
        r"session))\b|"
        r"\b(?:work|suit)(?:\s+for\s+(?:you|everyone|both\s+of\s+you|all\s+of\s+you))?\s*\?"
    ),
    video=_r(
        r"\b(?:[Zz]oom|ZOOM|Teams|MS\s+Teams|Microsoft\s+Teams|Google\s+Meet|Hangouts?|Webex|WebEx|"
        r"Skype|Whereby|GoToMeeting|[Vv]ideo\s*(?:call|conference|chat)|[Vv]ideoconference)\b"
    ),
    call=_c(
        r"\b(?:call|ring|phone|buzz|telephone)\s+(?:you|back)\b|"
        r"\b(?:call|ring|phone|buzz|telephone)\s+(?:me|us|him|her|them)"
        + _CALL_NEXT
        + r"|\bcalling\s+(?:you|me)\b|"
        r"\bgive\s+(?:me|us|you|him|her|them)\s+a\s+(?:call|ring|buzz)\b|"
        r"\b(?:a|the|our|my|your|this)\s+(?:quick\s+|short\s+|brief\s+|conference\s+|follow-up\s+|"
        r"intro\s+|"
        r"introductory\s+)?(?:phone\s+)?call\b|\bphone\s+call\b|"
        r"\b(?:talk|speak|chat)\s+(?:by|on\s+the|over\s+the)\s+phone\b|\breach\s+(?:me|us)\b|"
        r"\bcall\s+(?:our|my)\s+(?:office|cell|mobile|line|number|support|desk|hotline)\b"
    ),
    call_request=_c(
        r"\b(?:call|ring|phone|buzz|telephone)\s+(?:me|us)" + _CALL_NEXT + r"|\bgive\s+(?:me|"
        r"us)\s+a\s+(?:call|"
        r"ring|buzz)\b|"
        r"\breach\s+(?:me|us)\b|\bcall\s+(?:our|my)\s+\w+"
    ),
    call_exclude=_c(
        r"\b(?:call\s+cent(?:er|re)|so-called|call\s+it|calls?\s+for\s+(?:papers|proposals)|"
        r"on\s+call|"
        r"phone\s+number\s+(?:has|is)|what\s+(?:we|you)\s+call|let's\s+call\s+(?:him|her|it|them|"
        r"this|that)|"
        r"(?:they|people|some|friends|everyone)\s+call\s+(?:me|us|him|her)|"
        r"reach\s+(?:me|us)\s+(?:at|via|through|by|on)\s+(?:my|our|the)?\s*(?:e-?mail|normal|"
        r"usual|private|"
        r"work)?\s*(?:e-?mail|address)|make\s+this\s+call)\b"
    ),
    contact=_c(r"\b(?:reach|contact|text)\s+(?:me|us)\b"),
    task_verb=_c(
        r"\b(?:send|sign|signed|return|review|confirm|submit|share|provide|complete|approve|update|"
        r"deliver|"
        r"ship|prepare|finish|finali[sz]e|pay|upload|check|fill\s+(?:in|out)|register|get\s+back|"
        r"follow\s+up|let\s+(?:me|us)\s+know|reply|respond|answer|draft|issue|forward|email|e-mail|"
        r"revert|"
        r"decide|get\s+(?:the|it|them|this|that|me|us|your)|ready|need|have\s+(?:it|them|this|that)|"
        r"fix|resolve|transfer|order|renew|book\s+(?:the\s+)?(?:flight|hotel|tickets?)|quote|"
        r"invoice|"
        r"process|publish|install|test|deploy|translate|approve|countersign|circle\s+back|rsvp|"
        r"sign\s+up|"
        r"payment|get\s+\w+\s+over|have\s+the)\b"
    ),
    reader=_c(
        r"\b(?:please|pls|kindly|could\s+you|can\s+you|would\s+you|will\s+you|could\s+i\s+ask\s+you|"
        r"i\s+need\s+you\s+to|we\s+need|i\s+need|need\s+you|make\s+sure|don't\s+forget|"
        r"do\s+not\s+forget|"
        r"remember\s+to|you\s+need\s+to|you\s+have\s+to|you\s+should|you\s+must|let\s+me\s+know|"
        r"let\s+us\s+know|are\s+you\s+able|would\s+you\s+be\s+able|be\s+sure\s+to|"
        r"i(?:'d|\s+would)\s+appreciate\s+it\s+if\s+you|we\s+require|we\s+must\s+receive)\b"
    ),
    sender=_c(
        r"\b(?:(?:i|we|our\s+team|my\s+team)\s*(?:'ll|will|shall|am\s+going\s+to|'m\s+going\s+to|"
        r"are\s+going\s+to|'re\s+going\s+to|plan\s+to|intend\s+to|aim\s+to|expect\s+to|promise\s+to|"
        r"can|"
        r"should\s+be\s+able\s+to|should\s+have\s+(?:it|them|the|this|that|your)|'d\s+be\s+happy\s+to)|"
        r"let\s+me\s+(?!know)[a-z]+|"
        r"you(?:'ll|\s+will)\s+(?:have|get|receive))\b"
    ),
    proposal=_c(
        r"\b(?:can\s+we|could\s+we|shall\s+we|should\s+we|would\s+you|could\s+you|can\s+you|"
        r"will\s+you|"
        r"can\s+i|could\s+i|may\s+i|shall\s+i|"
        r"are\s+you\s+(?:free|available|around|open)|how\s+about|what\s+about|let's|let\s+us|"
        r"i'd\s+like|"
        r"i\s+would\s+like|we'd\s+like|we\s+would\s+like|would\s+like\s+to|i'd\s+love|i'm\s+free|"
        r"i\s+am\s+free|we'd\s+love|would\s+[a-z0-9:]+\s+"
        r"(?:work|suit)|does\s+[a-z0-9:]+\s+(?:work|suit)|works?\s+for\s+you|suit\s+you|join\s+us|"
        r"please\s+join|please\s+come|invite|invitation|propose|proposing|suggest|available|"
        r"free\s+(?:on|for|at)|"
        r"is\s+(?:good|ok|okay|fine)\s+for|good\s+for\s+(?:a|the|you)|scheduled|is\s+set\s+for|"
        r"will\s+take\s+place|take\s+place|will\s+be\s+held|looking\s+forward\s+to\s+seeing|"
        r"see\s+you|"
        r"(?:i|we)(?:'ll|\s+will)|i'm\s+proposing|plan\s+the|book\s+a|planned\s+for|is\s+planned|"
        r"will\s+run|"
        r"will\s+start|will\s+begin|starts\s+at|begins\s+at)\b"
    ),
    past=_c(
        r"\b(?:was|were|had|did|went|met|sent|spoke|received|arrived|happened|took\s+place|joined|"
        r"launched|"
        r"published|shipped|left|came|saw|called|enjoyed|attended|discussed|talked|missed|spent|gave|got|"
        r"made|"
        r"took|told|said|wrote|found|felt|heard|bought|brought|visited|presented|announced|hosted|"
        r"thanks\s+for|"
        r"thank\s+you(?:\s+again)?\s+for|thanks\s+again\s+for|appreciated|kudos|for\s+calling)\b"
    ),
    past_exempt=None,
    negation=_c(
        r"\b(?:can't|cannot|can\s+not|won't\s+be\s+able|unable|not\s+be\s+able|not\s+available|"
        r"couldn't|have\s+to\s+cancel|need\s+to\s+cancel|cancell?ed|called\s+off|postponed|"
        r"won't\s+make|"
        r"not\s+make\s+it|unfortunately)\b"
    ),
    fyi=_c(
        r"\b(?:closed|valid\s+(?:until|through)|expires?|renews?|out\s+of\s+(?:the\s+)?office|"
        r"on\s+(?:vacation|"
        r"leave|holiday)|parental\s+leave|hours\s+are|hours:|business\s+hours|support\s+hours|"
        r"office\s+hours|"
        r"takes?\s+effect|effective\s+(?:from|on)|applies\s+from|ends\s+on|runs\s+until|reopens?|"
        r"on\s+behalf\s+of|be\s+released|will\s+be\s+on\s+(?:vacation|leave|holiday)|runs|is\s+on)\b"
    ),
    artifact=_c(
        r"\b(?:notes|(?:the|meeting)\s+minutes|minutes\s+(?:of|from)|recording|recap|summary|slides|"
        r"deck|"
        r"transcript|materials|agenda\s+from|visit\s*:?\s*(?:us\s+)?(?:at\s+|on\s+)?(?:url|www|"
        r"our\s+web\s*site|"
        r"the\s+web\s*site|our\s+site))\b"
    ),
    personal=_c(r"\b(?:i|i'm|i'd|i'll|me|my|we|we're|we'd|we'll|our|us|you|you're|your)\b"),
)

# Japanese (no word boundaries; literals only)
JA = Cues(
    meeting=_r(
        r"打ち?合わ?せ|打合せ|ミーティング|MTG|会議|面談|面会|お会い|会いし|会え|伺い|伺う|伺わ|訪問|来社|"
        r"お越し|来訪|会食|ランチ|食事|セミナー|説明会|勉強会|デモ|商談|定例|朝会|見学|挨拶|ウェビナー|研修|"
        r"懇親会|お時間|ご都合|日程|面接|イベント|お話し|話し合"
    ),
    video=_r(
        r"Zoom|ZOOM|zoom|Teams|Google\s?Meet|Webex|WebEx|Skype|Web会議|ウェブ会議|ビデオ会議|テレビ会議|"
        r"オンライン会議|オンラインミーティング"
    ),
    call=_r(r"電話|TEL|Tel|コール|架電"),
    call_request=None,
    call_exclude=_r(r"電話番号(?:が|は)変更"),
    contact=_r(r"連絡"),
    task_verb=_r(
        r"送付|送っ|送り|送信|送って|お送り|提出|返送|返信|返答|回答|確認|連絡|共有|作成|準備|発行|発注|入金|"
        r"支払|署名|サイン|納品|発送|対応|完了|手続|記入|申込|申し込|検討|修正|見積|承認|決定|報告|ご教示|"
        r"教え|知らせ|アップロード|登録|用意|提示|お届け|届け|完成|仕上げ|振込|振り込"
    ),
    reader=_r(
        r"ください|下さい|お願い|いただけ|頂け|いただきたく|いただきたい|頂きたく|ていただ|てもらえ|願います|"
        r"賜り|くださ|いただければ"
    ),
    sender=_r(
        r"いたします|致します|します|させていただきます|させて頂きます|予定(?!通り|どおり)|参ります|まいります|申し上げます|"
        r"差し上げます|お送りします|できます"
    ),
    proposal=_r(
        r"いかが|でしょうか|ませんか|ましょう|可能|ご都合|できますか|できれば|よろしいでしょうか|いただけ|"
        r"ください|下さい|お願い|したい|たく|予定(?!通り|どおり)|設定|開催|行います|ご参加|ご案内|となります|と存じます|"
        r"思います|幸いです|させてください|存じます"
    ),
    past=_r(r"(?:ました|でした)(?!ら)|済み|済|された|ありがとう|お世話になりました"),
    past_exempt=_r(
        r"(?:設定|予約|手配|確定|決定|変更|ご用意|用意|決まり|調整)(?:いたし|致し|し|させていただき)?ました"
    ),
    negation=_r(r"中止|キャンセル|見送|延期|できません(?!か)|難しい|都合が悪|欠席|取りやめ|取り止め"),
    fyi=_r(
        r"休業|営業時間|創立|記念日|発売|価格改定|キャンペーン|添付|付の|発送済|送信専用|期間は|期間中|休み"
    ),
    artifact=_r(r"議事録|録画|資料|メモ|レジュメ|スライド"),
    personal=None,  # Japanese leaves the people out: no such check
)

# German
DE = Cues(
    meeting=_c(
        r"\b(?:treffen|trifft|Termin|Termine|Meeting|Besprechung|Workshop|Webinar|Videokonferenz|"
        r"Videocall|"
        r"Mittagessen|Abendessen|Frühstück|Kaffee|Besuch|besuchen|vorbeikommen|zusammensetzen|Sitzung|"
        r"Konferenz|Präsentation|Demo|Schulung|Veranstaltung|Austausch|Kick-?off|Jour\s+fixe|"
        r"Treffens)\b"
    ),
    video=_c(r"\b(?:Teams|Zoom|Webex|Google\s+Meet|Skype|Videokonferenz|Videocall|Video-Call|Videoanruf)\b"),
    call=_c(
        r"\b(?:anrufen|anzurufen|Anruf|zurückrufen|zurückzurufen|Rückruf|telefonieren|Telefonat|"
        r"Telefontermin|"
        r"telefonisch|rufe|rufen|ruft)\b"
    ),
    call_request=_c(r"\b(?:rufen\s+Sie\s+mich|ruf\s+mich|erreichen\s+Sie\s+mich)\b"),
    call_exclude=_c(r"\b(?:aufrufen|abrufen|Ruf\s+des)\b"),
    contact=_c(r"\b(?:erreichen\s+Sie\s+mich|erreichbar|kontaktieren)\b"),
    task_verb=_c(
        r"\b(?:send\w*|schick\w*|zusend\w*|übermittel\w*|bestätig\w*|prüf\w*|unterschreib\w*|"
        r"unterzeichn\w*|"
        r"liefer\w*|meld\w*|begleich\w*|zahl\w*|bezahl\w*|überweis\w*|fertigstell\w*|fertig|"
        r"erstell\w*|"
        r"vorbereit\w*|zurücksend\w*|freigeb\w*|ausfüll\w*|einreich\w*|beantwort\w*|Rückmeldung|"
        r"antwort\w*|"
        r"informier\w*|Bescheid|abschließ\w*|erledig\w*)\b"
    ),
    reader=_c(
        r"\b(?:bitte|können\s+Sie|könnten\s+Sie|würden\s+Sie|wären\s+Sie|kannst\s+du|könntest\s+du|"
        r"ich\s+bitte|wir\s+bitten|brauche|brauchen|benötige|benötigen)\b"
    ),
    sender=_c(
        r"\b(?:ich|wir)\s+(?:werde|werden|schicke|schicken|sende|senden|liefere|liefern|melde|melden|"
        r"rufe|"
        r"rufen|kümmere|kümmern|bereite|bereiten|erstelle|erstellen|übermittle|übermitteln|gebe|"
        r"geben)\b"
    ),
    proposal=_c(
        r"\b(?:können\s+wir|könnten\s+wir|sollen\s+wir|wollen\s+wir|lassen\s+Sie\s+uns|lass\s+uns|"
        r"wie\s+wäre|passt|passen|hätten\s+Sie|haben\s+Sie\s+Zeit|Zeit\s+für|schlage|vorschlagen|"
        r"einladen|"
        r"Einladung|möglich|treffen\s+wir|gerne|gern|möchte|findet|stattfinden|vereinbaren|"
        r"darf\s+ich|kann\s+ich)\b"
    ),
    past=_c(
        r"\b(?:war|waren|hatte|hatten|gewesen|getroffen|gesprochen|erhalten|eingegangen|stattgefunden|"
        r"gesendet|"
        r"geschickt|telefoniert|angerufen|Dank\s+für|danke\s+für|bedanke)\b"
    ),
    past_exempt=None,
    negation=_c(r"\b(?:nicht|abgesagt|verschoben|leider|absagen)\b"),
    fyi=_c(
        r"\b(?:geschlossen|gelten|gilt|gültig|Urlaub|Abwesenheit|abwesend|im\s+Anhang|anbei|"
        r"Öffnungszeiten|"
        r"Weihnachten)\b"
    ),
    artifact=_c(r"\b(?:Protokoll|Aufzeichnung|Folien|Notizen|Mitschrift)\b"),
    personal=_c(r"\b(?:ich|mich|mir|wir|uns|unser\w*|Sie|Ihnen|Ihr\w*|du|dich|dir|dein\w*)\b"),
)

# Other languages (French, Spanish, Italian, Portuguese, Dutch, Swedish, Polish, Russian): meeting and call
# words only, on top of the English cues — a graceful fallback, not a full reading (no tasks, no owner).
_OTHER_MEETING = (
    r"réunion|rendez-vous|rencontrer|rencontre|réunir|déjeuner|visio|reunión|reunirnos|"
    r"reunirse|"
    r"cita|encuentro|almuerzo|riunione|incontro|incontrarci|vederci|pranzo|reunião|encontro|"
    r"almoço|"
    r"vergadering|afspraak|afspreken|overleg|lunch|möte|träffas|spotkanie|spotkać|встреча|"
    r"встретиться|созвон"
)
_OTHER_CALL = (
    r"appel|appeler|téléphoner|llamada|llamar|llamo|chiamata|chiamare|ligação|ligar|telefonar|"
    r"bellen|ringa|zadzwonić|звонок|позвонить"
)
OTHER = Cues(
    meeting=_c(r"\b(?:" + _OTHER_MEETING + r")\b|" + EN.meeting.pattern.pattern),
    video=EN.video,
    call=_c(r"\b(?:" + _OTHER_CALL + r")\b|" + EN.call.pattern.pattern),
    call_request=EN.call_request,
    call_exclude=EN.call_exclude,
    contact=EN.contact,
    task_verb=_c(r"(?!x)x"),  # tasks are not read in these languages
    reader=EN.reader,
    sender=EN.sender,
    proposal=_c(
        r"\?|\b(?:pouvons|pourrions|pouvez|voulez|podemos|podríamos|puede|possiamo|potremmo|"
        r"podemos|kunnen|zullen|kan\s+vi|możemy|можем)\b|" + EN.proposal.pattern.pattern
    ),
    past=_c(
        r"\b(?:hier|dernier|dernière|ayer|pasado|pasada|ieri|scorso|scorsa|ontem|passado|gisteren|vorige|"
        r"igår|wczoraj|вчера|merci\s+pour|gracias\s+por|grazie\s+per|obrigado|bedankt)\b|"
        + EN.past.pattern.pattern
    ),
    past_exempt=None,
    negation=_c(
        r"\b(?:annulé|annulée|cancelad[oa]|annullat[oa]|cancelad[oa]|geannuleerd|inställt|odwołane|"
        r"отменен[аоы]?|pas\s+disponible|no\s+puedo)\b|" + EN.negation.pattern.pattern
    ),
    fyi=EN.fyi,
    artifact=EN.artifact,
    personal=None,
)

CUES = {"en": EN, "ja": JA, "de": DE, "other": OTHER}
