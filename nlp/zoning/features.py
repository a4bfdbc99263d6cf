"""Line features for the zoning classifier: the line, its neighbours, and where it sits in the message.

``featurize(messages)`` turns a batch of messages (each a list of lines) into one float32 matrix, a row
per line, plus the row offset of each message. The per-line part is one Python pass with a few
anchored regexes per line (the patterns are data in ``patterns.py``); everything that looks across
lines -- neighbours, "a quote header was seen above", distance to the end -- is vectorised in numpy
over the whole batch.

Cost is bounded: a regex never sees more than ``MAX_CHARS`` of a line; costly searches run only on
lines short enough to be signature or header lines; quoted lines (">") get the cheap features only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from nlp.zoning.patterns import (
    DATE_NUM, KEYWORD_ANCHORS, KEYWORD_CATEGORY, KEYWORD_TABLES, KEYWORDS, MAX_CHARS, MONTH_TOKENS, RE, START,
    START_WORD, TIME, VERB_SUFFIXES, WEEKDAY_TOKENS,
)

__all__ = ["BASE", "NEIGHBOUR", "NEIGHBOUR_INDEX", "OFFSETS", "CONTEXT", "FEATURES", "Batch", "extract",
           "assemble", "featurize", "line_base_features", "shift_rows", "clear_line_cache"]

# --- the per-line ("base") features ------------------------------------------------------------
BASE: list[str] = [
    "blank", "prefixed", "prefix_deep", "indented",
    "f_from", "f_sent", "f_to", "f_cc", "f_subject", "f_generic",
    "original", "forward", "verb_end", "lead", "addr_colon_end", "open_angle_end",
    "date", "weekday", "time", "email", "angle_email", "url", "phone",
    "mobile", "signoff", "signoff_start", "greeting", "ja_name", "ja_intro",
    "disclaimer", "list_footer", "sig_label", "title", "company", "address",
    "sig_delim", "rule", "bullet", "name_like",
    "short", "medium", "long", "end_period", "end_comma", "end_colon", "starts_upper", "starts_lower",
    "digit_heavy", "cjk", "all_caps", "code_like",
]
_B = {name: i for i, name in enumerate(BASE)}
NB = len(BASE)

# Base features repeated for the neighbouring lines (offsets below); a subset keeps the matrix small.
NEIGHBOUR: list[str] = [
    "blank", "prefixed", "f_from", "f_sent", "f_to", "f_subject", "f_generic", "original", "forward",
    "verb_end", "lead", "addr_colon_end", "open_angle_end", "date", "time", "email", "angle_email", "url",
    "phone", "mobile", "signoff", "signoff_start", "greeting", "ja_name", "disclaimer", "list_footer",
    "sig_label", "title", "company", "sig_delim", "rule", "name_like", "short", "long", "end_period",
    "end_comma", "end_colon", "cjk",
]
NEIGHBOUR_INDEX = np.array([_B[n] for n in NEIGHBOUR])
# Where a cue of the combined matchers lands in the base features.
_START_COL = {"greeting": _B["greeting"], "original": _B["original"], "forward": _B["forward"],
              "field_from": _B["f_from"],
              "field_sent": _B["f_sent"], "field_to": _B["f_to"], "field_cc": _B["f_cc"],
              "field_subject": _B["f_subject"], "mobile": _B["mobile"], "lead": _B["lead"],
              "sig_label": _B["sig_label"], "sig_delim": _B["sig_delim"], "rule": _B["rule"],
              "bullet": _B["bullet"]}
_START_BIT = {cue: 1 << col for cue, col in _START_COL.items()}
# (table bit, feature bit, only on lines short enough for a signature) per keyword table.
_KEYWORD_BITS = tuple((1 << k, 1 << _B[name], name in ("title", "company"))
                      for k, name in enumerate(KEYWORD_TABLES))
_BITS = tuple(1 << _B[name] for name in (
    "blank", "indented", "prefixed", "prefix_deep", "verb_end", "short", "medium", "long", "end_period",
    "end_comma", "end_colon", "starts_upper", "starts_lower", "signoff", "signoff_start", "addr_colon_end",
    "open_angle_end", "f_generic", "time", "date", "weekday", "phone", "digit_heavy", "email", "angle_email",
    "url", "disclaimer", "address", "name_like", "all_caps", "code_like", "cjk", "ja_name", "ja_intro",
    "company"))
OFFSETS: tuple[int, ...] = (-3, -2, -1, 1, 2, 3)

CONTEXT: list[str] = [
    "strong_hdr", "rel_pos", "first_nonblank", "top3_nonblank", "tail0", "tail2", "tail5", "tail10",
    "above_hdr", "above_fwd", "above_delim", "above_signoff", "above_prefixed", "below_prefixed",
    "pref_since_hdr", "unpref_after_hdr", "below_hdr", "fields_window", "doc_prefixed", "above_mobile",
    "above_disclaimer", "above_list_footer", "near_hdr_below", "bias_blank_after_text",
]

_C = {name: k for k, name in enumerate(CONTEXT)}

FEATURES: list[str] = (
    BASE + [f"{n}@{o:+d}" for o in OFFSETS for n in NEIGHBOUR] + CONTEXT
)

# Lines longer than this are prose: signature/header cues that need a search are skipped for them.
_SHORT_SEARCH = 120
_QUOTE_CHARS = (">", "|", "＞")
_PUNCT_END = (".", "!", "?", "。", "！", "？")
_COMMA_END = (",", "、", "，")
_COLON_END = (":", "：")


def _prefix_depth(s: str) -> int:
    """How many quote markers open the line ("> > >" counts 3); ``s`` is already cut and stripped."""
    depth = 0
    for ch in s:
        if ch in ">|＞":
            depth += 1
        elif ch != " ":
            break
    return depth


def _char_stats(heads: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Digits and CJK characters per line, counted in numpy over the whole batch at once."""
    n = len(heads)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    text = "\n".join(heads)
    codes = np.frombuffer(text.encode("utf-32-le", errors="replace"), dtype=np.uint32)
    sizes = np.fromiter(map(len, heads), dtype=np.int64, count=n) + 1
    line_of = np.repeat(np.arange(n), sizes)[: len(codes)]
    digit = (codes >= 0x30) & (codes <= 0x39)
    cjk = ((codes >= 0x3040) & (codes <= 0x30FF)) | ((codes >= 0x3400) & (codes <= 0x9FFF)) | (
        (codes >= 0xFF00) & (codes <= 0xFFEF))
    digits = np.bincount(line_of[digit], minlength=n)
    cjks = np.bincount(line_of[cjk], minlength=n)
    return digits, cjks


def line_base_features(lines: list[str]) -> np.ndarray:
    """The base feature matrix (rows = lines) of one message or of many lines at once.

    Each line's features are collected as bits of one integer (cheap in the Python loop) and the
    integers are unpacked into the matrix by numpy at the end.
    """
    n = len(lines)
    heads = [_unqp(line[:MAX_CHARS]) if "=" in line else line[:MAX_CHARS] for line in lines]
    digits, cjks = _char_stats(heads)
    digits_l = digits.tolist()
    cjk_l = cjks.tolist()
    masks: list[int] = []
    push = masks.append

    m_start = START.match
    m_start_word = START_WORD.match
    f_keywords = KEYWORDS.finditer
    s_time = TIME.search
    s_date_num = DATE_NUM.search
    s_date_cjk = RE["date_cjk"].search
    s_weekday_cjk = RE["weekday_cjk"].search
    s_email = RE["email"].search
    s_angle = RE["angle_email"].search
    s_url = RE["url"].search
    s_phone = RE["phone"].search
    s_address = RE["address"].search
    m_ja_name = RE["ja_greeting_name"].match
    m_ja_intro = RE["ja_self_intro"].match
    s_company_ja = RE["company_ja"].search
    m_generic = _GENERIC_FIELD.match
    m_code = _CODE.match
    anchors_disjoint = KEYWORD_ANCHORS.isdisjoint
    months_disjoint = MONTH_TOKENS.isdisjoint
    weekdays_disjoint = WEEKDAY_TOKENS.isdisjoint
    punct_disjoint = _NAME_PUNCT.isdisjoint
    verb_suffixes = VERB_SUFFIXES
    kw_cat = KEYWORD_CATEGORY
    start_bit = _START_BIT
    kw_bits = _KEYWORD_BITS
    (BLANK, INDENTED, PREFIXED, DEEP, VERB, SHORT, MEDIUM, LONG, END_PERIOD, END_COMMA, END_COLON, UPPER,
     LOWER, SIGNOFF, SIGNOFF_START, ADDR_END, OPEN_ANGLE, GENERIC, TIME_B, DATE_B, WEEKDAY_B, PHONE_B,
     DIGIT_HEAVY, EMAIL_B, ANGLE_B, URL_B, _KEYWORD_SET_ELSEWHERE, ADDRESS_B, NAME_B, CAPS_B, CODE_B, CJK_B,
     JA_NAME_B, JA_INTRO_B, COMPANY_B) = _BITS

    known = _LINE_MASKS.get
    for i, head in enumerate(heads):
        f = known(head)
        if f is not None:  # the same line seen before (footers, quoted lines, list boilerplate)
            push(f)
            continue
        s = head.strip()
        if not s:
            push(BLANK)
            continue
        f = INDENTED if head[0] in " \t" else 0
        c0 = s[0]
        if c0 in ">|＞":
            # Quoted lines only need to be recognised as quoted; headers inside quotes are quoted too,
            # except the first quoted line, which some clients put the header on: keep the verb cue.
            f |= PREFIXED
            if _prefix_depth(s) > 1:
                f |= DEEP
            inner = s.lstrip(">|＞ ").lower()
            if (inner and inner.rstrip(" :：-\t").endswith(verb_suffixes)
                    and _ends_with_verb(inner, verb_suffixes)):
                f |= VERB
            push(f)
            _remember(head, f)
            continue
        ln = len(s)
        low = s.lower()
        last = s[-1]
        f |= SHORT if ln <= 25 else MEDIUM if ln <= 60 else LONG
        if last in _PUNCT_END:
            f |= END_PERIOD
        elif last in _COMMA_END:
            f |= END_COMMA
        elif last in _COLON_END:
            f |= END_COLON
            if ln > 3 and (s[-2] == ">" or s[-2] == ")" or "@" in s[-60:]):
                f |= ADDR_END
        elif last == "<" or (last == "(" and ln > 10):
            f |= OPEN_ANGLE
        if c0.isupper():
            f |= UPPER
        elif c0.islower():
            f |= LOWER

        # One anchored match for every start-of-line cue.
        m = m_start_word(low) if c0.isalpha() else m_start(low)
        if m is not None:
            cue = m.lastgroup
            if cue == "signoff":
                # A sign-off alone on a short line is a closing; followed by more words, a sentence.
                alone = ln <= 60 and not low[m.end():].strip(" ,.!:;、。！…~-")
                f |= SIGNOFF if alone else SIGNOFF_START
            else:
                f |= start_bit[cue]
        tail = low[-80:]
        if tail.rstrip(" :：-\t").endswith(verb_suffixes) and _ends_with_verb(tail, verb_suffixes):
            f |= VERB
        if ln <= _SHORT_SEARCH and (":" in s or "：" in s) and m_generic(s):
            f |= GENERIC

        tokens = low.split()
        d = digits_l[i]
        cjk = cjk_l[i]
        if d:
            if (":" in low or "h" in low or "m" in low or "kl" in low) and s_time(low):
                f |= TIME_B
            if s_date_num(low) or not months_disjoint(tokens) or (cjk and s_date_cjk(low)):
                f |= DATE_B
            if not weekdays_disjoint(tokens) or (cjk and s_weekday_cjk(low)):
                f |= WEEKDAY_B
            if d >= 7 and s_phone(s):
                f |= PHONE_B
            if d >= 0.3 * ln:
                f |= DIGIT_HEAVY
        if "@" in s:
            if s_email(low):
                f |= EMAIL_B
            if s_angle(low):
                f |= ANGLE_B
        elif "mailto" in low and s_angle(low):
            f |= ANGLE_B
        # A bare domain ("example.com") counts only on a short line of its own: prose has many dots.
        if ("://" in low or "www." in low or (ln <= 40 and "." in low and len(tokens) <= 3)) and s_url(low):
            f |= URL_B

        # Words that may sit anywhere (disclaimer, list footer, job title, company): a token lookup
        # decides whether the (costlier) scan runs at all.
        if cjk or not anchors_disjoint(tokens):
            found = 0
            for km in f_keywords(low):
                a, b = km.span()
                if (a and low[a - 1].isalpha() and not _is_cjk(low[a])) or (
                        b < ln and low[b].isalpha() and not _is_cjk(low[b - 1])):
                    continue
                found |= kw_cat.get(km.group(), 0)
            for bit, feat, short_only in kw_bits:
                if found & bit and (not short_only or ln <= _SHORT_SEARCH):
                    f |= feat

        if ln <= _SHORT_SEARCH:
            if (d or cjk) and s_address(s):
                f |= ADDRESS_B
            if ln <= 32 and _name_like(s, punct_disjoint):
                f |= NAME_B
            if ln >= 4 and s.isupper():
                f |= CAPS_B
            if ("(" in s or "{" in s or ";" in s or "=" in s or "}" in s or "#" in s or "//" in s) and (
                    m_code(s)):
                f |= CODE_B
        if cjk:
            f |= CJK_B
            if ln <= 60:
                if m_ja_name(s):
                    f |= JA_NAME_B
                if m_ja_intro(s):
                    f |= JA_INTRO_B
                if s_company_ja(s):
                    f |= COMPANY_B
        push(f)
        _remember(head, f)

    return _unpack(masks)


# A line's features depend on its text alone, and a quarter of the non-blank lines of real mail repeat
# (footers, quoted text, list boilerplate: 27 % on the SpamAssassin corpus), so each distinct line is
# read once. Bounded: the table is emptied when it is full.
_LINE_MASKS: dict[str, int] = {}
_LINE_MASKS_MAX = 50_000


def clear_line_cache() -> None:
    """Forget every line read so far (benchmarks time unseen mail with it)."""
    _LINE_MASKS.clear()


def _remember(head: str, mask: int) -> None:
    if len(_LINE_MASKS) >= _LINE_MASKS_MAX:
        _LINE_MASKS.clear()
    _LINE_MASKS[head] = mask


def _unpack(masks: list[int]) -> np.ndarray:
    """Feature bits (one int per line) to a float32 matrix."""
    if not masks:
        return np.zeros((0, NB), dtype=np.float32)
    arr = np.array(masks, dtype=np.uint64)
    bits = (arr[:, None] >> np.arange(NB, dtype=np.uint64)) & np.uint64(1)
    return bits.astype(np.float32)


def _unqp(line: str) -> str:
    """Undo quoted-printable left in a body by a broken client ("=09From:", "=20", a soft break "=")."""
    if "=0" in line or "=2" in line or "=3D" in line:
        line = line.replace("=09", "\t").replace("=20", " ").replace("=3D", "=")
    return line[:-1] if line.endswith("=") and not line.endswith("==") else line


def _ends_with_verb(low: str, suffixes: tuple[str, ...]) -> bool:
    """Does the line end with a quote verb ("wrote:", "a écrit :", "schrieb", "写道：")?"""
    t = low.rstrip(" :：-\t")
    if not t.endswith(suffixes):
        return False
    for v in suffixes:
        if t.endswith(v):
            k = len(t) - len(v)
            return k == 0 or not t[k - 1].isalpha() or _is_cjk(v[0])
    return False


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


# "Word: value" with a short label: header fields in languages the tables do not know, Lotus "cc:".
_GENERIC_FIELD = re.compile(r"[*_]{0,2}[^\W\d_][\w .'-]{0,24}[*_]{0,2}\s{0,3}[:：](?:\s|$)")
# Program text: braces, semicolons and assignments are content, not a signature.
_CODE = re.compile(r"[\w.$]{0,40}\s{0,2}(?:\(|\{|\}|;|=|//|#include|def |class |function |return )")
_NO_DIGITS = {c: None for c in range(0x30, 0x3A)}
_NAME_PUNCT = frozenset(".!?:;,()[]{}<>@/\\\"=+*#")


def _name_like(s: str, punct_disjoint=None) -> bool:  # noqa: ANN001
    """A person's or company's name alone on a line: one to four capitalised words, or a short CJK name."""
    if not (punct_disjoint or _NAME_PUNCT.isdisjoint)(s):
        return s.startswith(("-", "—", "/")) and len(s.split()) <= 4 and s[1:2].isalpha()
    words = s.split()
    if not 1 <= len(words) <= 4:
        return False
    first = words[0].lstrip("-—–/~")
    if not first:
        return False
    ch = first[0]
    if "\u3040" <= ch <= "\u9fff":
        return len(s) <= 12
    return ch.isupper() and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words)


_NAME_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "la", "le", "del", "du", "y", "e", "&", "|",
                   "-"}


@dataclass
class Batch:
    """Features of a batch of messages laid end to end: per-line base features and context features."""

    base: np.ndarray  # (lines, len(BASE))
    ctx: np.ndarray  # (lines, len(CONTEXT))
    offsets: np.ndarray  # first row of each message
    pos: np.ndarray  # row index within its message
    length: np.ndarray  # length of the row's message


def extract(messages: list[list[str]]) -> Batch:
    """Base and context features of a batch of messages (lists of lines)."""
    sizes = np.fromiter((len(m) for m in messages), dtype=np.int64, count=len(messages))
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64) if len(messages) else sizes
    base = line_base_features([line for m in messages for line in m])
    n = base.shape[0]
    ends = offsets + sizes
    doc_of = np.repeat(np.arange(len(offsets)), sizes)
    pos = np.arange(n) - offsets[doc_of]
    length = sizes[doc_of]
    return Batch(base, _context(base, offsets, ends, doc_of, pos, length), offsets, pos, length)


def shift_rows(values: np.ndarray, off: int, pos: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Row i gets the row of line i+off of the same message (zeros past the message's ends)."""
    out = np.zeros_like(values)
    if off < 0:
        out[-off:] = values[:off]
        out[pos < -off] = 0
    else:
        out[:-off] = values[off:]
        out[pos >= length - off] = 0
    return out


def assemble(batch: Batch) -> np.ndarray:
    """The full feature matrix (``FEATURES`` columns): base, neighbours' base, context."""
    sub = batch.base[:, NEIGHBOUR_INDEX]
    blocks = [batch.base] + [shift_rows(sub, off, batch.pos, batch.length) for off in OFFSETS] + [batch.ctx]
    return np.concatenate(blocks, axis=1)


def featurize(messages: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix for a batch of messages (lists of lines) and the first row of each message."""
    batch = extract(messages)
    return assemble(batch), batch.offsets


def _context(base: np.ndarray, offsets: np.ndarray, ends: np.ndarray, doc_of: np.ndarray, pos: np.ndarray,
             length: np.ndarray) -> np.ndarray:
    """Whole-message features: where a line sits, and what was seen above and below it."""
    n = base.shape[0]
    B = _B
    blank = base[:, B["blank"]] > 0
    prefixed = base[:, B["prefixed"]] > 0
    field = (base[:, [B["f_from"], B["f_sent"], B["f_to"], B["f_cc"], B["f_subject"]]].sum(1) > 0)
    datey = (base[:, B["date"]] + base[:, B["time"]] + base[:, B["weekday"]]) > 0
    addr = (base[:, B["email"]] + base[:, B["angle_email"]]) > 0
    verb = base[:, B["verb_end"]] > 0
    fields_window = _window_sum(field.astype(np.float32), pos, length, 4)
    strong = (
        (base[:, B["original"]] > 0)
        | (base[:, B["forward"]] > 0)
        | (verb & (datey | addr | (base[:, B["lead"]] > 0)))
        | (base[:, B["f_from"]] > 0) & (fields_window >= 2)
        | field & (fields_window >= 3)
        | ((base[:, B["addr_colon_end"]] > 0) & datey)
    ) & ~prefixed
    # A header split over lines ("On Tue, ... Bob" / "<bob@x>" / "wrote:") ends at the verb line.
    strong |= verb & ~prefixed & (_shift(datey | addr, 1, pos) | _shift(datey | addr, 2, pos))

    nonblank = ~blank
    nb_cum = _doc_cumsum(nonblank.astype(np.int32), offsets, ends)  # non-blank lines up to and incl. i
    nb_total = nb_cum[ends - 1][doc_of] if n else nb_cum
    nb_after = nb_total - nb_cum
    first_nb = nonblank & (nb_cum == 1)

    above_hdr = _above(strong, offsets, ends)
    # Prefixed lines seen since the last strong header: ">" quoting after a header means that
    # unprefixed lines further down are the author's interleaved answers, not more quote.
    hdr_count = _doc_cumsum(strong.astype(np.int32), offsets, ends)
    pref_since = _since_last(prefixed, strong, offsets, ends)

    ctx = np.zeros((n, len(CONTEXT)), dtype=np.float32)
    C = _C
    ctx[:, C["strong_hdr"]] = strong
    ctx[:, C["rel_pos"]] = pos / np.maximum(length - 1, 1)
    ctx[:, C["first_nonblank"]] = first_nb
    ctx[:, C["top3_nonblank"]] = nonblank & (nb_cum <= 3)
    ctx[:, C["tail0"]] = nb_after == 0
    ctx[:, C["tail2"]] = nb_after <= 2
    ctx[:, C["tail5"]] = nb_after <= 5
    ctx[:, C["tail10"]] = nb_after <= 10
    ctx[:, C["above_hdr"]] = above_hdr
    ctx[:, C["above_fwd"]] = _above(base[:, B["forward"]] > 0, offsets, ends)
    ctx[:, C["above_delim"]] = _above((base[:, B["sig_delim"]] > 0) & ~prefixed, offsets, ends)
    ctx[:, C["above_signoff"]] = _above((base[:, B["signoff"]] > 0) & ~prefixed, offsets, ends)
    ctx[:, C["above_prefixed"]] = _above(prefixed, offsets, ends)
    ctx[:, C["below_prefixed"]] = _below(prefixed, offsets, ends)
    ctx[:, C["pref_since_hdr"]] = pref_since & (hdr_count > 0)
    ctx[:, C["unpref_after_hdr"]] = above_hdr & ~pref_since & ~prefixed
    ctx[:, C["below_hdr"]] = _below(strong, offsets, ends)
    ctx[:, C["fields_window"]] = np.minimum(fields_window, 4) / 4.0
    ctx[:, C["doc_prefixed"]] = _doc_any(prefixed, offsets, ends, doc_of)
    ctx[:, C["above_mobile"]] = _above((base[:, B["mobile"]] > 0) & ~prefixed, offsets, ends)
    ctx[:, C["above_disclaimer"]] = _above((base[:, B["disclaimer"]] > 0) & ~prefixed, offsets, ends)
    ctx[:, C["above_list_footer"]] = _above((base[:, B["list_footer"]] > 0) & ~prefixed, offsets, ends)
    ctx[:, C["near_hdr_below"]] = _shift(strong, -1, pos, length) | _shift(strong, -2, pos, length)
    ctx[:, C["bias_blank_after_text"]] = blank & _shift(nonblank & ~prefixed, 1, pos)
    return ctx


# --- vectorised helpers over a batch of messages laid end to end --------------------------------
def _doc_cumsum(values: np.ndarray, offsets: np.ndarray, ends: np.ndarray) -> np.ndarray:
    total = np.cumsum(values)
    before = np.where(offsets > 0, total[np.maximum(offsets - 1, 0)], 0)
    return total - np.repeat(before, ends - offsets)


def _above(flag: np.ndarray, offsets: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """True where some earlier line of the same message has ``flag``."""
    c = _doc_cumsum(flag.astype(np.int32), offsets, ends)
    return (c - flag) > 0


def _below(flag: np.ndarray, offsets: np.ndarray, ends: np.ndarray) -> np.ndarray:
    c = _doc_cumsum(flag.astype(np.int32), offsets, ends)
    total = np.repeat(c[ends - 1], ends - offsets)
    return (total - c) > 0


def _doc_any(flag: np.ndarray, offsets: np.ndarray, ends: np.ndarray, doc_of: np.ndarray) -> np.ndarray:
    c = _doc_cumsum(flag.astype(np.int32), offsets, ends)
    return c[ends - 1][doc_of] > 0


def _since_last(flag: np.ndarray, reset: np.ndarray, offsets: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """True where ``flag`` held on some line after the last ``reset`` line above (same message)."""
    n = flag.shape[0]
    idx = np.arange(n)
    # Index of the last reset at or before i (within the message), else the message start - 1.
    last_reset = np.where(reset, idx, -1)
    last_reset = np.maximum.accumulate(last_reset)
    start = np.repeat(offsets, ends - offsets)
    last_reset = np.where(last_reset >= start, last_reset, start - 1)
    c = np.cumsum(flag.astype(np.int32))
    c_at_reset = np.where(last_reset >= 0, c[np.maximum(last_reset, 0)], 0)
    before_i = c - flag
    return (before_i - c_at_reset) > 0


def _shift(flag: np.ndarray, k: int, pos: np.ndarray, length: np.ndarray | None = None) -> np.ndarray:
    """``flag`` of the line k rows above (k > 0) or below (k < 0) in the same message."""
    out = np.zeros_like(flag)
    if k > 0:
        out[k:] = flag[:-k]
        out[pos < k] = False
    else:
        out[:k] = flag[-k:]
        out[pos >= length + k] = False
    return out


def _window_sum(values: np.ndarray, pos: np.ndarray, length: np.ndarray, k: int) -> np.ndarray:
    """Sum of ``values`` over lines i-k..i+k of the same message."""
    total = np.zeros_like(values)
    for off in range(-k, k + 1):
        if off == 0:
            total += values
            continue
        shifted = np.zeros_like(values)
        if off > 0:
            shifted[:-off] = values[off:]
            shifted[pos >= length - off] = 0
        else:
            shifted[-off:] = values[:off]
            shifted[pos < -off] = 0
        total += shifted
    return total
