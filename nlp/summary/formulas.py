"""Greetings, sign-offs and politeness formulas: the parts of a sentence that say nothing about the matter.

Patterns are data: a tuple per role, one comment per language. Every pattern is anchored at the start
of the (bounded) text and has no nested quantifiers, so each runs in linear time on any input.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["is_formula", "is_courtesy_offer", "strip_greeting", "strip_hedges", "GREETINGS", "CLOSINGS", "HEDGES"]

_MAX = 400  # characters looked at: formulas sit at the start

GREETINGS = (
    # English: "Hi Sam,", "Dear Mr. Carter,", "Phillip;", "Jeff/Brenda:", "Good morning all,"
    r"(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b[^,;:!.\n]{0,40}[,;:!.]?\s*",
    r"(?:hi|hello|hey|dear)\s*[,;:!]?\s*",
    r"[A-Z][\w'.-]{0,20}(?:\s?(?:/|&|and)\s?[A-Z][\w'.-]{0,20}){0,3}\s?[,;:]\s+",
    r"(?:all|team|folks|everyone|guys)\s*[,;:]\s+",
    # German, French, Spanish
    r"(?:hallo|liebe[rs]?|sehr geehrte[rs]?|bonjour|cher|chère|hola|estimad[oa]s?)\b[^,;:!\n]{0,40}[,;:!]?\s*",
    # Japanese: address line and the opening formula
    r"[^\s、。]{1,20}(?:様|さま|殿|御中|各位)[、,]?\s*",
    r"(?:いつも|大変)?お世話になって(?:おり|い)ます。?\s*",
    r"(?:はじめまして|初めまして|はじめてご連絡いたします)。?\s*",
)
CLOSINGS = (
    # English
    r"(?:thanks|thank you|many thanks|thx|regards|best|cheers|sincerely|yours|kind regards|best regards|warm regards|all the best|talk soon|take care)\b[\s\w,.!]{0,30}$",
    # German, French, Spanish
    r"(?:viele grüße|mit freundlichen grüßen|beste grüße|cordialement|bien à vous|saludos|atentamente)\b.{0,30}$",
    # Japanese
    r"(?:(?:何卒|引き続き)?(?:どうぞ)?よろしくお願い(?:いたします|致します|します|申し上げます)|以上、?よろしくお願いいたします)[。！!]?$",
)
HEDGES = (
    # English: politeness and framing before the matter; order matters (longest first)
    r"(?:i was wondering|i am wondering|i'm wondering)\s+(?:if|whether)\s+(?:you\s+(?:could|can|would)\s+)?",
    r"(?:could|can|would|will)\s+you\s+(?:please\s+|kindly\s+)?(?:be able to\s+)?",
    r"(?:would you mind|do you mind)\s+",
    r"(?:i|we)\s+(?:just\s+)?(?:wanted|want|would like|'d like|'d love|would love)\s+to\s+(?:let you know|inform you|mention|ask|check|confirm|remind you)\s*(?:that|if|whether|about)?\s*",
    r"(?:just\s+)?(?:a\s+)?(?:quick\s+)?(?:note|reminder|heads[- ]up)\s+(?:to\s+(?:say|let you know)\s+)?(?:that\s+)?",
    r"(?:fyi|just fyi|for your information|as discussed|as you know|as requested|per our conversation)\s*[,:-]?\s*",
    r"(?:please|pls|kindly)\s+",
    r"(?:also|and|but|so|ok|okay|well)\s*,?\s+",
    # Japanese: framing before the request
    r"(?:つきましては|恐れ入りますが|恐縮ですが|お手数ですが|お忙しいところ(?:恐縮ですが|申し訳ございませんが)?)[、,]?\s*",
)

_GREETING = [re.compile(p, re.IGNORECASE if i != 2 else 0) for i, p in enumerate(GREETINGS)]
_CLOSING = [re.compile(p, re.IGNORECASE) for p in CLOSINGS]
_HEDGE = [re.compile(p, re.IGNORECASE) for p in HEDGES]
_WORD = re.compile(r"\w+")
_JA_NAME = re.compile(r"[\u4e00-\u9fff]{1,4}(?:[ \u3000]?[\u4e00-\u9fff\u3040-\u309f]{1,4})?")


def strip_greeting(text: str) -> str:
    """The sentence without a leading greeting ("Hi Sam, ", "鈴木様 "), if something remains."""
    head = text[:_MAX]
    for pattern in _GREETING:
        m = pattern.match(head)
        if m and m.end() < len(text):
            rest = text[m.end():].lstrip(" ,;:-")
            if len(_WORD.findall(rest[:80])) >= 2:
                return rest
    return text


def strip_hedges(text: str) -> str:
    """Drop leading politeness and framing ("Could you please", "FYI,", "つきましては、"), repeatedly."""
    for _ in range(4):
        before = text
        for pattern in _HEDGE:
            m = pattern.match(text[:_MAX])
            if m and m.end() < len(text):
                text = text[m.end():]
                break
        if text == before:
            break
    return text


@lru_cache(maxsize=8192)  # several stages ask about the same sentences
def is_formula(text: str) -> bool:
    """A greeting, sign-off or name line with nothing else in it."""
    t = text.strip()
    if not t:
        return True
    if len(t) <= _MAX:
        for pattern in _CLOSING:
            if pattern.match(t):
                return True
    stripped = strip_greeting(t)
    if stripped is not t and not stripped:
        return True
    words = _WORD.findall(t[:_MAX])
    if not words:
        return True
    if any(p.fullmatch(t) for p in _GREETING):
        return True
    if _JA_NAME.fullmatch(t):
        return True  # a Japanese name under the closing: 山田, 山田 花子
    # A bare name under the sign-off: one or two capitalised words, no verb-like punctuation.
    if len(words) <= 3 and len(t) <= 30 and all(w[:1].isupper() for w in words) and not t.endswith(("?", ".")):
        return True
    return False


# A courtesy offer: "Let me know if you have any questions", "If you need anything else, please call me",
# 「ご不明な点がございましたら、お気軽にお問い合わせください」. It asks the reader to act only if they
# want to, so it is never the mail's main ask. English needs both a condition on the reader's needs and
# a way to reach the writer; each pattern is a flat alternation, searched in the first 300 characters.
_OFFER_CONDITION = re.compile(
    r"\b(?:if|should|in case|whenever)\s+(?:you|there)\s+(?:have|has|are|is|need|needs|want|would like|require|run into)"
    r"\s+(?:any\s+|some\s+)?(?:further\s+|additional\s+|more\s+|other\s+)?"
    r"(?:questions?|comments?|concerns?|problems?|issues?|trouble|help|assistance|information|info|clarification|"
    r"details|anything)\b"
    r"|\b(?:call|contact|e-?mail)\s+(?:me\s+|us\s+)?(?:with|w/)\s?any\s+questions\b", re.IGNORECASE)
_OFFER_CONTACT = re.compile(
    r"(?:(?:please\s+)?(?:do not|don't|don’t)\s+hesitate\s+to\s+|(?:please\s+)?feel free to\s+)?"
    r"\b(?:let\s+(?:me|us)\s+know|contact|call|phone|e-?mail|reach\s+(?:me|us|out)|get in touch|"
    r"give\s+(?:me|us)\s+a\s+(?:call|ring)|ask)\b", re.IGNORECASE)
_OFFER_LEAD = re.compile(r"(?:and|also|but|so|again|please|kindly|as always|of course)\b[\s,]*", re.IGNORECASE)
_OFFER_JA = re.compile(r"(?:ご不明な?点|ご質問|何か)(?:が|等が|など)?(?:ございましたら|ありましたら|あれば)|お気軽に(?:お問い合わせ|ご連絡|ご相談)")


def is_courtesy_offer(text: str) -> bool:
    """An offer of help on the reader's terms ("Let me know if you have any questions"): not an ask.
    The offer must open the sentence (after a greeting or "and"): "Please review it and let me know
    if you have any comments" asks for a review first. A sentence with a deadline ("… with any
    comments by Friday") or put as a question ("Could you let me know if you have any concerns with
    the dates?") asks for an answer, so it is never one either."""
    head = text[:300]
    if head.rstrip().endswith(("?", "？")) or _DEADLINE.search(head):
        return False
    if _OFFER_JA.search(head):
        return True
    head = _OFFER_LEAD.sub("", strip_greeting(head.strip()), count=1)
    condition = _OFFER_CONDITION.search(head)
    if condition is None:
        return False
    if condition.start() == 0:  # "If you have any questions, please call me."
        return _OFFER_CONTACT.search(head) is not None
    contact = _OFFER_CONTACT.match(head)  # "Let me know if you have any questions."
    return contact is not None and contact.end() <= condition.start()


# A deadline ends an offer: a date or weekday after by/before/until, or a Japanese date before まで.
_DEADLINE = re.compile(
    r"\b(?:by|before|until|no later than)\s+(?:the\s+)?(?:end of|eod|cob|tomorrow|tonight|today|this|next|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)"
    r"|(?:\d{1,2}月\d{1,2}日|\d{1,2}日|[月火水木金土日]曜日?|今週|来週|今月|来月|月末|明日|本日)(?:中)?まで", re.IGNORECASE)
