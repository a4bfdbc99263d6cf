"""Cue phrases per intent and insight label: features for the heads and evidence a person can read.

Each label has a tuple of patterns with one comment per language. A hit is a feature of the e-mail
head (which learns how far to trust it) and, when a label fires, the sentence with the hit is the first
candidate for its evidence. Patterns are literal alternations with word boundaries only: linear time.

Competitors are not here: they come from the admin's list (``find_competitors``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["CUES", "CUE_LABELS", "cue_hits", "find_competitors", "compile_competitors"]

CUES: dict[str, tuple[str, ...]] = {
    "pricing": (
        # English
        r"\b(?:price|prices|pricing|priced|quote|quotes|quotation|cost|costs|discount|discounts|per (?:user|seat)|"
        r"fee|fees|rate card|price list|how much|invoice|cheaper|expensive)\b",
        # Japanese
        r"(?:価格|料金|見積|費用|値引|割引|単価|金額|請求書|いくら)",
    ),
    "budget": (
        r"\b(?:budget|budgets|budgeted|budgeting|funding|spend limit|capped at|set aside|can't afford|cannot afford|"
        r"afford)\b",
        r"(?:予算|稟議|費用枠)",
    ),
    "contract": (
        r"\b(?:contract|contracts|agreement|msa|terms and conditions|renewal|renew|renewing|auto-renew|"
        r"terminate|termination|notice period|sla|order form|signed|sign-off|dpa)\b",
        r"(?:契約|更新|解約|約款|規約|申込書|注文書|押印)",
    ),
    "timeline": (
        r"\b(?:by (?:monday|tuesday|wednesday|thursday|friday|the end of|end of|next week|tomorrow)|deadline|"
        r"go-live|go live|rollout|roll out|before (?:the )?(?:end|start)|q1|q2|q3|q4|next quarter|this quarter|"
        r"end of (?:the )?(?:month|quarter|year|week)|timeline|schedule|asap|as soon as possible|urgent)\b",
        r"(?:までに|締切|締め切り|期限|導入時期|スケジュール|至急|今月中|今週中|来月|月末|年内)",
    ),
    "decision_maker": (
        r"\b(?:ceo|cfo|coo|cto|vp|vice president|director|board|owner|founder|founders|managing partner|"
        r"head of|my boss|my manager|sign off|signs off|sign-off|approve|approval|approves|final (?:say|decision|word|call)|"
        r"decision maker|decides|procurement|committee)\b",
        r"(?:社長|部長|役員|取締役|常務|専務|決裁|承認|稟議|経営会議|所長|最終判断|CFO|CEO|CTO)",
    ),
    "not_interested": (
        r"\b(?:not interested|no longer interested|not for us|no thanks|no need|won't be (?:moving|proceeding|continuing|renewing)|"
        r"not (?:be )?(?:moving|proceeding|continuing|renewing)|decided (?:not|to go with|against)|"
        r"we'll pass|pass for now|not looking|happy with (?:our|the) current|chosen|went with|go with another)\b",
        r"(?:興味はありません|関心がございません|見送|不要|必要ございません|結構です|採用することになりました)",
    ),
    "unsubscribe": (
        r"\b(?:unsubscribe|unsubscribed|opt out|opt-out|remove me|take me off|remove (?:us|my address|my contact)|"
        r"mailing list|stop (?:sending|emailing|contacting)|don't (?:contact|email) me|no more emails|"
        r"do not (?:contact|email) me|delete my (?:personal )?data)\b",
        r"(?:配信停止|配信を停止|送付を停止|リストから(?:削除|外)|送信をやめ|ご連絡はご遠慮|個人情報を削除)",
    ),
    "meeting_request": (
        r"\b(?:meet|meeting|call|calls|demo|zoom|teams|catch up|catch-up|coffee|lunch|invite|invitation|"
        r"calendar|available|availability|slot|slots|session|workshop|visit)\b",
        r"(?:打ち合わせ|お打ち合わせ|会議|ミーティング|面談|ご来社|お時間|日程|デモ|ご都合|お電話|お食事|訪問)",
    ),
    "complaint": (
        r"\b(?:unacceptable|disappointed|disappointing|not happy|frustrat\w*|annoy\w*|terrible|ridiculous|"
        r"broken|not working|doesn't work|does not work|crash\w*|wrong|error|errors|failed|fails|still waiting|"
        r"complain\w*|overcharged|refund|outage|slow)\b",
        r"(?:困って|困ります|不具合|障害|エラー|失望|我慢|遅い|誤り|返金|届いていません|落ちます)",
    ),
    "cancellation": (
        r"\b(?:cancel|cancelling|canceling|cancellation|terminate|termination|not renew|won't be renewing|"
        r"not be renewing|end (?:our|the) (?:contract|subscription|trial)|close (?:our|the) account|"
        r"switch to|switching to|moving to|downgrade|leave|leaving)\b",
        r"(?:解約|契約を終了|更新しない|閉鎖|移行することになり|見送)",
    ),
    "follow_up": (
        r"\b(?:follow up|following up|checking in|circling back|touching base|bumping|any update|any news|"
        r"still waiting|reminder|haven't heard|have not heard|no reply|again|last week|chasing)\b",
        r"(?:その後いかが|再度|改めて|先日お|先週お|まだ|度々|再送|催促)",
    ),
    "thanks": (
        r"\b(?:thanks|thank you|thank|appreciate|appreciated|grateful|cheers for)\b",
        r"(?:ありがとう|感謝|御礼|お礼)",
    ),
    "introduction": (
        r"\b(?:my name is|i'm \w+ from|i am \w+ from|introduce|introducing|introduction|connecting you|"
        r"new (?:contact|account manager|head|admin|office manager)|taking over|i've just joined|nice to e-meet)\b",
        r"(?:はじめまして|初めまして|と申します|ご紹介|着任|後任|はじめてご連絡)",
    ),
    "auto_reply": (
        r"\b(?:out of (?:the )?office|on (?:annual |parental |medical )?leave|on vacation|on holiday|"
        r"automatic reply|automated response|auto-reply|autoreply|will (?:respond|reply|get back to you) (?:when|upon|on my)|"
        r"limited access to email|no access to email|this mailbox is not monitored|do not reply)\b",
        r"(?:不在|自動返信|自動送信|自動応答|休暇|出張中|返信はご遠慮)",
    ),
    "bounce": (
        r"\b(?:undeliverable|could not be delivered|couldn't be delivered|delivery (?:has )?failed|"
        r"delivery status notification|mailer-daemon|permanent error|mailbox (?:is )?full|user unknown|"
        r"address not found|recipient not found|550|552|554|5\.\d\.\d+)\b",
        r"(?:配信不能|配信できません|配信に失敗|送信エラー|配送エラー|宛先のメールアドレスが存在しません)",
    ),
    "bulk": (
        r"\b(?:unsubscribe|view (?:this email )?in (?:your )?browser|you are receiving this|you're receiving this|"
        r"newsletter|webinar|register now|shop now|sale|offer ends|limited time|click here|manage preferences|"
        r"don't miss|save \d+%|\d+% off)\b",
        r"(?:配信停止はこちら|メールマガジン|キャンペーン|お見逃しなく|ウェビナー|送信専用|今すぐ)",
    ),
}
CUE_LABELS = tuple(CUES)


def _only_non_ascii(pattern: str) -> bool:
    """A pattern of non-ASCII literals only (the Japanese ones): it cannot match ASCII text."""
    return all(not c.isascii() for c in pattern.replace("(?:", "").replace(")", "").replace("|", ""))


# Matched on the lowercased text without IGNORECASE (faster): the patterns are lowercased once here.
# A label's patterns are searched one by one: one alternation per script runs about twice as fast as
# the two joined into one, and a Japanese-only pattern is skipped on ASCII text (most mail).
_WORD = re.compile(r"[a-z0-9]+")
_QUANTIFIERS = "?*+{"


@dataclass(frozen=True)
class _Cue:
    """One compiled pattern with what a text must contain for it to match (see ``_cue``)."""

    search: Callable[[str], re.Match | None]
    non_ascii: bool  # only non-ASCII literals: cannot match ASCII text
    words: frozenset[str]  # an alternative starts with one of these whole words ...
    substrings: tuple[str, ...]  # ... or with one of these
    always: bool  # some alternative starts with no literal: always search


def _top_level(alternation: str) -> list[str]:
    """The alternatives of ``a|b(?:c|d)|e`` that are not inside a group."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(alternation):
        c = alternation[i]
        if c == "\\":
            i += 2
            continue
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0:
            parts.append(alternation[start:i])
            start = i + 1
        i += 1
    return parts + [alternation[start:]]


def _lead(alternative: str) -> str | None:
    """The letters and digits an alternative starts with when every match has them as a whole
    ``[a-z0-9]+`` word: followed by the alternative's end, ``\\b`` or a literal mark that no
    quantifier makes optional. None otherwise."""
    n = 0
    while n < len(alternative) and alternative[n].isascii() and alternative[n].isalnum():
        n += 1
    lead, rest = alternative[:n], alternative[n:]
    if not lead or (rest[:1] and rest[0] in _QUANTIFIERS):  # "cats?": the last letter is optional
        return None
    if not rest or rest.startswith("\\b"):
        return lead
    if rest[0] == "\\":  # an escaped mark ("\\.") is literal; "\\d", "\\w" are classes
        literal, after = not rest[1:2].isalnum(), rest[2:]
    else:
        literal, after = rest[0] not in "()[].|^$", rest[1:]
    return lead if literal and not (after[:1] and after[0] in _QUANTIFIERS) else None


def _literal_start(alternative: str) -> str:
    """The literal text every match of the alternative starts with (after a leading ``\\d+``: the
    text that follows the digits)."""
    if alternative[:3] in (r"\d+", r"\w+"):
        alternative = alternative[3:]
    out, i = [], 0
    while i < len(alternative):
        if alternative[i] == "\\":
            if alternative[i + 1:i + 2].isalnum() or i + 1 == len(alternative):  # a class, \\b
                break
            char, i = alternative[i + 1], i + 2
        elif alternative[i] in "()[]{}.|^$" + _QUANTIFIERS:
            break
        else:
            char, i = alternative[i], i + 1
        if alternative[i:i + 1] and alternative[i] in _QUANTIFIERS:  # that last one is optional
            break
        out.append(char)
    return "".join(out)


def _cue(pattern: str) -> _Cue:
    """A pattern ``\\b(?:alt|alt|…)\\b`` (or ``(?:alt|…)``) can only match where one of its
    alternatives' leading words or literal starts stands in the text: a set look-up and a few
    substring tests skip most of the labels' searches on most sentences."""
    pattern = pattern.lower()
    search, non_ascii = re.compile(pattern).search, _only_non_ascii(pattern)
    always = _Cue(search, non_ascii, frozenset(), (), True)
    if pattern.startswith(r"\b(?:") and pattern.endswith(r")\b"):
        body, bounded = pattern[len(r"\b(?:"):-len(r")\b")], True
    elif pattern.startswith("(?:") and pattern.endswith(")"):
        body, bounded = pattern[len("(?:"):-1], False
    else:
        return always
    if len(_top_level(f"({body})")) != 1:  # "(?:a)|(?:b)": the outer group is not one group
        return always
    words, substrings = set(), []
    for alternative in _top_level(body):
        if bounded and (lead := _lead(alternative)):
            words.add(lead)
        elif literal := _literal_start(alternative):
            substrings.append(literal)
        else:
            return always
    return _Cue(search, non_ascii, frozenset(words), tuple(substrings), False)


_SEPARATE = {label: tuple(_cue(p) for p in pats) for label, pats in CUES.items()}
_CUE_LIST = [(index, cue) for index, label in enumerate(CUE_LABELS) for cue in _SEPARATE[label]]
# What puts a pattern on a text's short list: a leading word (looked up in one set intersection), a
# literal start (a substring test; the non-ASCII ones only on non-ASCII text), or nothing (always).
_BY_WORD: dict[str, list[tuple[int, _Cue]]] = {}
for _entry in _CUE_LIST:
    for _word in _entry[1].words:
        _BY_WORD.setdefault(_word, []).append(_entry)
_TRIGGER_WORDS = frozenset(_BY_WORD)
_BY_SUBSTRING = [(s, entry) for entry in _CUE_LIST for s in entry[1].substrings if s.isascii()]
_BY_SUBSTRING_NON_ASCII = [(s, entry) for entry in _CUE_LIST for s in entry[1].substrings if not s.isascii()]
_ALWAYS = [entry for entry in _CUE_LIST if entry[1].always]
_MAX = 300  # characters of a sentence searched: cue phrases sit in sentences of ordinary length


def cue_hits(texts: Sequence[str]) -> np.ndarray:
    """(n, len(CUE_LABELS)) 0/1: does the text contain a cue phrase of the label?"""
    out = np.zeros((len(texts), len(CUE_LABELS)), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = _hits(text[:_MAX].lower())
    return out


@lru_cache(maxsize=8192)  # the intent and insight heads read the same sentences
def _hits(text: str) -> tuple[float, ...]:
    ascii_only = text.isascii()
    short_list = [entry for word in _TRIGGER_WORDS.intersection(_WORD.findall(text)) for entry in _BY_WORD[word]]
    short_list += [entry for s, entry in _BY_SUBSTRING if s in text]
    if not ascii_only:
        short_list += [entry for s, entry in _BY_SUBSTRING_NON_ASCII if s in text]
    short_list += [entry for entry in _ALWAYS if not (entry[1].non_ascii and ascii_only)]
    hits = [0.0] * len(CUE_LABELS)
    for index, cue in short_list:
        if not hits[index] and cue.search(text):
            hits[index] = 1.0
    return tuple(hits)


def compile_competitors(names: Iterable[str]) -> re.Pattern | None:
    """One pattern for the admin's competitor list: whole words for Latin names, substrings for CJK ones."""
    parts = []
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        escaped = re.escape(name)
        parts.append(rf"\b{escaped}\b" if name.isascii() else escaped)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def find_competitors(pattern: re.Pattern | None, text: str) -> list[str]:
    if pattern is None:
        return []
    return list(dict.fromkeys(m.group(0) for m in pattern.finditer(text[:_MAX])))
