"""The one-line TL;DR: who wants what by when, and how they feel — built from the analysis, not generated.

    Dana Whitfield (BrightPath): watched demo recording yesterday team loved pipeline view → send pricing 50 seats
        Growth plan — by Friday · enthusiastic
    山田 花子（さくら商事株式会社）: Growthプランで50ライセンスのお見積りをお送りいただけますでしょうか（7月まで）

- *who*: the sender's display name, and the company from the signature or else the sender's domain
  (never a free-mail domain);
- *what*: a telegraphic headline (:func:`headline`: no greeting, politeness or function words, ten words
  at most) of the first content sentence — mail states its matter first; on AESLC this scores higher than
  the ask or the most central sentence — then "→" and the main ask (the sentence most likely to be a
  request, by the intent stage's sentence scores) when that is a later sentence and a clear request;
- *when*: a deadline phrase found in the new text ("by Friday", "before the end of the month",
  "12月15日までに"), unless the ask already says it;
- *mood*: the emotion label when it is not neutral and confident.

Every pattern is bounded (anchored or character classes with fixed repetition): linear on any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.summary.formulas import strip_greeting, strip_hedges

__all__ = ["Tldr", "build_tldr", "compress", "headline", "find_deadline", "company_from_address",
           "FREE_MAIL_DOMAINS", "STOP_WORDS"]

FREE_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.co.jp", "ymail.com", "hotmail.com",
    "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "gmx.de", "gmx.net",
    "web.de", "mail.ru", "yandex.ru", "qq.com", "163.com", "126.com", "protonmail.com", "proton.me",
    "docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "i.softbank.jp", "au.com", "nifty.com", "ocn.ne.jp",
})
_GENERIC_LABELS = {"www", "mail", "mx", "smtp", "email", "co", "com", "ne", "or", "ac", "go", "jp", "uk", "de"}

_DEADLINE_EN = re.compile(
    r"\b(?:by|before|until|no later than|not later than|due|ahead of)\s+"
    r"(?:the\s+)?(?:end of (?:the |this |next )?(?:day|week|month|quarter|year)|eod|eow|cob|close of business|"
    r"tomorrow|tonight|today|this (?:week|afternoon|evening|morning)|next (?:week|month)|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:\s+(?:morning|afternoon|evening|noon))?|"
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|q[1-4]|noon|midnight|\d{1,2}(?::\d{2})?\s?(?:am|pm))",
    re.IGNORECASE)
# Japanese: a date or relative day followed by まで(に) / 締切 / 期限
_DEADLINE_JA = re.compile(
    r"((?:\d{1,2}月\d{1,2}日|\d{1,2}日|今週(?:中)?|来週(?:中)?|今月(?:末)?|来月(?:末)?|月末|週末|本日(?:中)?|明日|"
    r"[月火水木金土日]曜(?:日)?)(?:の\d{1,2}時)?)(?:まで(?:に)?|中に|が締切|が期限)")
_WORD = re.compile(r"\S+")
_CUT_EN = re.compile(r"[,;:(]|\s(?:and|so|because|as|which|since|but|if)\s|\s[-–—]\s")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_ARTICLES = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


# Function words a headline drops: scikit-learn's English stop-word list plus mail's politeness and
# framing words. Numbers, names and content words stay, in the sentence's order.
_MAIL_STOP = frozenset("""
please could can would will let know hi hello dear just am pm re fw fwd also get got i'm i've
we're we've you're it's there's that's can't don't won't should may might must shall attached attach message
e-mail email note fyi hey ok okay guys folks forwarded forward wanted want like need sure
""".split())


def _stop_words() -> frozenset[str]:
    try:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    except ImportError:  # scikit-learn is a dependency; this only keeps the module importable without it
        return _MAIL_STOP
    return frozenset(ENGLISH_STOP_WORDS) | _MAIL_STOP


STOP_WORDS = _stop_words()
_HEADLINE_WORD = re.compile(r"[\w'/.$€£%-]+")


def headline(sentence: str, *, max_words: int = 10) -> str:
    """A telegraphic headline of an English sentence: no greeting or politeness, no function words, each
    word once, at most ``max_words``: "Could you send me pricing for 50 seats?" → "send pricing 50 seats"."""
    text = strip_hedges(strip_greeting(" ".join(sentence[:1000].split())))
    if _CJK.search(text[:200]):
        return compress(text, max_words=max_words)
    out: list[str] = []
    seen: set[str] = set()
    for raw in _HEADLINE_WORD.findall(text):
        word = raw.strip(".-/'")
        low = word.lower()
        if not word or low in STOP_WORDS or low in seen:
            continue
        seen.add(low)
        out.append(word)
        if len(out) >= max_words:
            break
    return " ".join(out)


@dataclass(frozen=True)
class Tldr:
    text: str
    who: str | None
    ask: str | None
    deadline: str | None
    mood: str | None
    evidence: str | None  # the sentence the ask came from
    headline: str | None = None  # the headline of the first content sentence alone


def company_from_address(address: str | None) -> str | None:
    """"dana@brightpath.io" → "Brightpath"; None for free-mail and unparseable addresses."""
    if not address or "@" not in address:
        return None
    domain = address.rsplit("@", 1)[1].strip().lower().rstrip(">")
    if not domain or domain in FREE_MAIL_DOMAINS:
        return None
    labels = [x for x in domain.split(".") if x]
    if len(labels) < 2:
        return None
    core = [x for x in labels[:-1] if x not in _GENERIC_LABELS]
    if not core:
        return None
    name = core[-1]
    return name.replace("-", " ").title() if name.isascii() else name


def find_deadline(text: str) -> str | None:
    sample = text[:5000]
    m = _DEADLINE_EN.search(sample)
    if m:
        return " ".join(m.group(0).split())
    m = _DEADLINE_JA.search(sample)
    if m:
        return m.group(1)
    return None


def compress(sentence: str, *, max_words: int = 12, max_chars: int = 60) -> str:
    """The sentence as a headline: no greeting or politeness, cut at a clause boundary, ≤ max_words."""
    text = strip_hedges(strip_greeting(" ".join(sentence.split())))
    if _CJK.search(text[:200]):
        text = text.rstrip("。．.!！")
        return text if len(text) <= max_chars else text[:max_chars].rstrip("、,") + "…"
    text = _ARTICLES.sub("", text)
    words = _WORD.findall(text)
    if len(words) > max_words:
        head = " ".join(words[:max_words])
        cut = None
        for m in _CUT_EN.finditer(head):
            if len(head[:m.start()].split()) >= 4:
                cut = m.start()
                break
        text = head[:cut] if cut else head
    text = text.strip().rstrip(".,;:!?-–— ")
    return text[:1].upper() + text[1:] if text else text


_WHEN_WORDS = frozenset("by before until till on at the of end this next no later than".split())


def _said(deadline: str, what: str) -> bool:
    """Does ``what`` carry every word of the deadline that names a time ("by Friday" in "… charge Friday")?"""
    named = {w for w in re.findall(r"\w+", deadline.lower()) if w not in _WHEN_WORDS}
    return bool(named) and named <= set(re.findall(r"\w+", what.lower()))


def build_tldr(*, topic_sentence: str | None, ask_sentence: str | None = None, sender_name: str | None = None,
               company: str | None = None, deadline: str | None = None, mood: str | None = None,
               max_words: int = 10, ask_words: int = 5, style: str = "readable") -> Tldr:
    """``topic_sentence``: the first content sentence of the new text (mail puts its matter first);
    ``ask_sentence``: the main ask when it is another sentence.

    ``style="readable"`` (what a rep sees): the ask, else the topic, as a shortened sentence ("Refund the
    duplicate charge"). ``style="telegraphic"``: the topic's headline without function words, then "→" and
    the ask's ("time writing → refund duplicate charge"), which scores higher on AESLC but reads worse."""
    if style == "readable":
        topic = compress(topic_sentence, max_words=14, max_chars=90) if topic_sentence else None
        ask = compress(ask_sentence, max_words=14, max_chars=90) if ask_sentence else None
        if ask:
            topic = None  # the main ask says what the rep needs to know; the topic is in the summary below
    else:
        topic = headline(topic_sentence, max_words=max_words) if topic_sentence else None
        ask = (headline(ask_sentence, max_words=ask_words) if ask_sentence and ask_sentence != topic_sentence
               else None)
    ja = bool((topic and _CJK.search(topic)) or (ask and _CJK.search(ask)))
    if sender_name and company and company.lower() not in sender_name.lower():
        who = f"{sender_name}（{company}）" if ja else f"{sender_name} ({company})"
    else:
        who = sender_name or company
    what = " → ".join(x for x in (topic, ask) if x)
    if deadline and (deadline.lower() in what.lower() or _said(deadline, what)):
        deadline = None  # the headline already says when
    parts = []
    if who:
        parts.append(f"{who}: ")
    parts.append(what)
    if deadline:
        parts.append(f"（{deadline}まで）" if ja and not deadline.endswith("まで") else f" — {deadline}")
    if mood:
        parts.append(f" · {mood}")
    text = "".join(parts).strip()
    return Tldr(text=text, who=who, ask=ask or topic, deadline=deadline, mood=mood,
                evidence=ask_sentence or topic_sentence, headline=topic)
