"""Which lines of a body are the author's signature block, from the zones and the lines themselves.

1. The author's region: the lines before the first quote header / quoted / forwarded line (or, for a
   bottom-posted reply, after the last one).
2. Runs of lines the zone stage labelled ``signature`` in that region are checked: a run must hold
   contact data (a phone, an address, a legal form…) or two organisation lines, little running text,
   and sit at the end of the author's text. The last good run wins; running text at its edges is
   trimmed, and contact lines the zoning left out just above or below it are added.
3. Without such a run, the tail of the author's region is read bottom-up for a block of contact lines
   (the zoning can miss a signature; this finds it), above any footers and disclaimers. A single
   contact line counts when it sits right under the closing (a phone under the signer's name, a
   company with its legal form under the sign-off); a list of people with their numbers never does.
4. The name under a sign-off ("Best regards,\\nJane") is the *closing*'s name line: not part of the
   block, but still the best source of the name.
Disclaimers, mobile footers and quote headers are never part of a block.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from nlp.signature.companies import legal_form
from nlp.signature.lines import LineInfo, analyse
from nlp.signature.names import trailing_name, western_name
from nlp.signature.phones import PHONE_LABEL_WORDS
from nlp.signature.text import clean

__all__ = ["Block", "author_region", "find_block"]

QUOTEISH = frozenset(("quote_header", "quoted", "forwarded"))
FOOTERS = frozenset(("disclaimer", "mobile_footer", "list_footer"))
_MAX_BLOCK = 16  # content lines; longer "signatures" are body text the zoning mislabelled
_TAIL_SCAN = 25  # lines read bottom-up when the zoning found no signature
_MAX_AFTER = 3  # lines of the author's text allowed after a signature (a P.S.)
_MAX_RUNS = 12  # zone runs examined, from the end
_MAX_FOOTER = 40  # footer and disclaimer lines skipped under the author's text before the tail scan


@dataclass
class Block:
    lines: list[int]  # body line indices of the block (separators and inner blank lines included)
    closing_name: int | None  # the closing's name line, when there is one
    source: str  # zone | detected | closing
    confidence: float
    regions: tuple[str, ...] = ()  # the phone regions the lines were read with
    infos: dict[int, LineInfo] = field(default_factory=dict)  # the lines read while finding the block

    def content(self, body_lines: list[str]) -> list[int]:
        return [i for i in self.lines if body_lines[i].strip()]


# What a real quote header or forward marker has that a mislabelled body line has not: a keyword, or a
# date with a time or an address ("Rebecca Ford 07/26/2000 05:20 PM", "2024/01/01 10:00 山田太郎 <…>").
_HEADER_WORD = re.compile(
    r"wrote|schrieb|a écrit|escribió|ha scritto|skrev|napisał|написал|kirjoitti|geschreven|"
    r"(?:^|\s)(?:from|von|de|da|van|från|fra|od|от)\s*:|差出人|送信者|送信日時|original message|forwarded|"
    r"weitergeleitet|転送|reply separator|のメッセージ", re.IGNORECASE)
_DATE = re.compile(r"\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{2,4}|"
                   r"\d{4}年\d{1,2}月\d{1,2}日|\b\d{1,2}\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
                   re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|@")
_HEADER_KEY = re.compile(r"^\s*(?:from|to|cc|bcc|sent|date|subject|von|an|gesendet|betreff|de|à|envoyé|objet|"
                         r"para|asunto|enviado|差出人|宛先|送信日時|件名)\s*[:：]", re.IGNORECASE)
_QUOTE_MARK = (">", "|", "＞")
# A Lotus Notes header opens with the sender's name alone on a line, then the date and time alone on
# the next ("Jane Doe/HOU/ACME@ACME" / "04/12/2001 03:59 PM"); the zoning may mark only the date line.
_NOTES_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\s*$", re.IGNORECASE)
_NOTES_SENDER = re.compile(r"^\s*[^\s.,;:!?()<>\[\]][^.,;:!?()<>\[\]]{0,60}?\s*$")


def _real_boundary(lines: list[str], zones: list[str], i: int) -> bool:
    """Whether a quote_header/forwarded line really starts someone else's text (the zoning can label a
    line of the author's own text so; then the signature stage reads on)."""
    zone = zones[i]
    run = []
    for j in range(i, min(len(lines), i + 8)):
        if zones[j] != zone:
            break
        run.append(lines[j][:300])
    text = "\n".join(run)
    return bool(_HEADER_WORD.search(text) or (_DATE.search(text) and _TIME.search(text))
                or sum(1 for line in run if _HEADER_KEY.match(line)) >= 2)


def author_region(zones: list[str], lines: list[str] | None = None) -> tuple[int, int]:
    """[start, end) of the author's own text: up to the first real quote header or forward (or, for a
    bottom-posted reply, after the last one). Quoted lines (">") inside it are the author quoting
    inline; the text after them is still the author's. With ``lines``, header zones on lines that show
    no sign of a header are ignored."""
    n = len(zones)
    boundary = [z in ("quote_header", "forwarded") and (lines is None or _real_boundary(lines, zones, i))
                for i, z in enumerate(zones)]
    first = next((i for i in range(n) if boundary[i]), n)
    if (lines is not None and 0 < first < n and _NOTES_DATE.match(lines[first])
            and _NOTES_SENDER.match(lines[first - 1]) and lines[first - 1].strip()):
        first -= 1  # the Notes header's sender line
    if first == n or any(z not in FOOTERS and z not in QUOTEISH and (lines is None or lines[i].strip())
                         for i, z in enumerate(zones[:first])):
        return 0, first
    last = max(i for i in range(n) if boundary[i] or zones[i] in QUOTEISH)
    return last + 1, n


def _local_zones(zones: list[str], lines: list[str], a: int, b: int) -> list[str]:
    """Inside the author's region: ">" lines stay ``quoted``; other quote zones are mislabelled text."""
    out = list(zones)
    for i in range(a, b):
        if out[i] in QUOTEISH:
            out[i] = "quoted" if lines[i].lstrip()[:1] in _QUOTE_MARK else "new_text"
    return out


class _Lines:
    """Lazily analysed lines (phone matching is the costly part; only candidates are analysed)."""

    def __init__(self, lines: list[str], regions: list[str]):
        self.lines = lines
        self.regions = regions
        self.cache: dict[int, LineInfo] = {}

    def __getitem__(self, i: int) -> LineInfo:
        info = self.cache.get(i)
        if info is None:
            info = self.cache[i] = analyse(i, self.lines[i], self.regions)
        return info


def find_block(lines: list[str], zones: list[str], regions: list[str], *,
               sender_check: Callable[[str], float] | None = None, detect: bool = True) -> Block | None:
    """The signature block of a body, or a closing-only block (just the name line), or None."""
    if len(zones) != len(lines):
        zones = (list(zones) + ["new_text"] * len(lines))[: len(lines)]
    a, b = author_region(zones, lines)
    zones = _local_zones(zones, lines, a, b)
    info = _Lines(lines, regions)
    block = _from_zones(info, zones, a, b, sender_check)
    if detect:
        tail = _from_tail(info, zones, a, b, sender_check)
        if tail is None and block is None:
            top = _top_post_end(info, zones, a, b)
            if top is not None:
                tail = _from_tail(info, zones, a, top, sender_check)
        if tail is not None and (block is None or tail.lines[0] > block.lines[-1]):
            block = tail  # the zoning marked something earlier, but a signature ends the message
    closing = _closing_name(info, zones, a, block.lines[0] if block else b, sender_check)
    if block is not None:
        block.closing_name = closing if closing is None or closing < block.lines[0] else None
        block.lines = _tidy(info, block.lines)
        if block.lines:
            block.regions, block.infos = tuple(regions), info.cache
            return block
    if closing is not None:
        return Block(lines=[], closing_name=closing, source="closing", confidence=0.5, regions=tuple(regions),
                     infos=info.cache)
    return None


def _top_post_end(info: _Lines, zones: list[str], a: int, b: int) -> int | None:
    """Where the author's text ends in a reply written above ">"-quoted text that no header introduces
    (the quote runs to the end of the region): the first quoted line, when the author wrote above it."""
    q = next((i for i in range(a, b) if zones[i] == "quoted"), None)
    if q is None or not any(info.lines[i].strip() for i in range(a, q)):
        return None
    if any(zones[i] not in ("quoted", *FOOTERS) and info.lines[i].strip()
           and info.lines[i].lstrip()[:1] not in _QUOTE_MARK for i in range(q, b)):
        return None  # the author writes between the quotes too: the signature ends the message
    return q


def _runs(zones: list[str], lines: list[str], a: int, b: int) -> list[list[int]]:
    runs: list[list[int]] = []
    current: list[int] = []
    pending: list[int] = []  # blank lines after the current run, joined only if the run goes on
    for i in range(a, b):
        if zones[i] == "signature":
            current.extend(pending)
            pending = []
            current.append(i)
        elif not lines[i].strip() and current:
            pending.append(i)
        else:
            if current:
                runs.append(current)
            current, pending = [], []
    if current:
        runs.append(current)
    return runs


def _trimmed(info: _Lines, run: list[int]) -> list[int]:
    out: list[int] = []
    for i in run:
        if info[i].excluded:
            break  # a disclaimer or footer ends the block
        out.append(i)
    while out and (info[out[0]].blank or info[out[0]].score < 0):
        out.pop(0)
    while out and (info[out[-1]].blank or info[out[-1]].score < 0):
        out.pop()
    return out


def _valid(info: _Lines, run: list[int], sender_check: Callable[[str], float] | None, *, strict: bool) -> bool:
    content = [info[i] for i in run if not info[i].blank and not info[i].separator]
    if not content or len(content) > _MAX_BLOCK:
        return False
    if _phone_list(content):
        return False
    bad = sum(1 for x in content if x.score < 0 or x.text.rstrip().endswith(":"))
    if bad > (1 if len(content) >= 6 else 0):
        return False
    strong = sum(1 for x in content if x.strong)
    medium = sum(1 for x in content if x.medium)
    sender = any(x.name_like and sender_check and sender_check(x.text) >= 0.6 for x in content)
    if strict:
        return strong >= 2 or (strong >= 1 and len(content) >= 2) or (strong >= 1 and sender)
    return strong >= 1 or medium >= 2 or (sender and len(content) >= 1)


def _phone_list(content: list[LineInfo]) -> bool:
    """A list of people or desks and their numbers ("Dynegy: Phil Richardson 713-555-0100", "EDI Support
    (713) 555-0142", one per line): three or more lines that each give a different person's name beside a
    phone number, or six or more that each give a different entry (words beside the number that are not
    a phone label, on a line with no e-mail address or link) with no title or company line of the
    signer's own. A signature is one person's; its phone lines carry labels (Tel, Fax, Mobile) and the
    person's own address and links, not other people's names or desks. (Six entries, and no title or
    company: a signature may list its offices, "London +44 …", under the signer's title and company.)"""
    names: set[str] = set()
    entries: set[str] = set()
    for x in content:
        if not x.phones:
            continue
        rest = x.text
        for p in sorted(x.phones, key=lambda p: p.start, reverse=True):
            rest = rest[:p.start] + " " + rest[p.end:]
        for part in re.split(r"[:|;,\t]|\s{2,}", rest):
            name = western_name(clean(part).strip("?!()[] "))
            if name is not None:
                names.add(name.text.lower())
                break
        if x.links:
            continue  # "T: … | E: jane@acme.example": a compact signature line, not a list entry
        words = [w for w in re.findall(r"[^\W\d_]{2,}", rest.lower()) if w not in PHONE_LABEL_WORDS]
        if words:
            entries.add(" ".join(words))
    # a title or company line of its own (no number on it) is the signer's: then the entries are offices
    signed = any((x.title or x.organisation) and not x.phones for x in content)
    return len(names) >= 3 or (len(entries) >= 6 and not signed)


def _trailing_text(info: _Lines, zones: list[str], end: int, b: int) -> int:
    """Lines of the author's own text after a candidate block (a signature ends the message)."""
    count = 0
    for i in range(end + 1, b):
        if zones[i] in FOOTERS or zones[i] in QUOTEISH or zones[i] == "signature" or not info.lines[i].strip():
            continue
        x = info[i]
        if x.separator:
            break  # what follows a rule is a footer or a tagline, not more of the message
        if x.excluded:
            continue
        count += 1
        if count > _MAX_AFTER:
            break
    return count


def _from_zones(info: _Lines, zones: list[str], a: int, b: int,
                sender_check: Callable[[str], float] | None) -> Block | None:
    for run in list(reversed(_runs(zones, info.lines, a, b)))[:_MAX_RUNS]:
        if sum(1 for i in run if info.lines[i].strip()) > 2 * _MAX_BLOCK:
            continue  # pages of "signature": body text the zoning mislabelled (and not worth reading)
        kept = _trimmed(info, run)
        if not kept or not _valid(info, kept, sender_check, strict=False):
            continue
        strong = sum(1 for i in kept if info[i].strong)
        if _trailing_text(info, zones, kept[-1], b) > _MAX_AFTER:
            continue  # the author's text goes on: a list of names, firms or links in the message
        kept = _extend(info, zones, kept, a, b)
        confidence = min(0.95, 0.6 + 0.08 * strong)
        return Block(lines=kept, closing_name=None, source="zone", confidence=round(confidence, 2))
    return None


def _walk_up(info: _Lines, zones: list[str], top: int, a: int) -> list[int]:
    """The lines above ``top`` that belong to the same signature, in order.

    Lines joined to the block without a blank line (the name and title over the phone numbers) are
    taken, even under a sign-off; across single blank lines (double-spaced signatures) only name, title,
    organisation or contact lines are, and not the name right under a sign-off: that one is the
    closing's. Short lines that look like nothing in particular ("AM_LOGO_CLR", "Senior Geologist") are
    taken only below a line that does belong, or under the rule that opens the signature."""
    i = top - 1
    added: list[int] = []  # bottom-up
    confirmed = 0  # how many of ``added`` surely belong
    joined = True  # no blank line between line i and the block so far
    while i >= a:
        if zones[i] in QUOTEISH or (zones[i] in FOOTERS and not _contact_in_footer(info, i)):
            break
        x = info[i]
        if x.blank:
            if i - 1 < a or info.lines[i - 1].strip() == "":
                break
            joined = False
            added.append(i)
            i -= 1
            continue
        if x.separator:
            added.append(i)
            confirmed = len(added)
            break
        if x.excluded or x.score < 0:
            break
        if _under_sign_off(info, i, a, blank_lines=0 if joined else 1):
            break  # the name right under the sign-off is the closing's
        if _introduced(info, i, a):
            break  # "This may work for you:\n<link>": the message's content, not the signature
        if _continues(info, i, a):
            break  # the rest of a sentence broken over lines ("… form at\nhttp://…")
        added.append(i)
        if x.score >= 0.6:
            confirmed = len(added)
        i -= 1
    out = sorted(added[:confirmed])
    while out and info[out[0]].blank:
        out.pop(0)
    return out


def _contact_in_footer(info: _Lines, i: int) -> bool:
    """A line the zoning put in a footer or disclaimer that is plainly a contact line of the signature
    above it: a phone or an e-mail address, little else, and no disclaimer or footer wording."""
    x = info[i]
    return bool(x.phones or x.links) and not x.excluded and not x.prose and len(clean(x.text)) <= 60


def _extend(info: _Lines, zones: list[str], block: list[int], a: int, b: int) -> list[int]:
    """Add the lines above the block that belong to it (see ``_walk_up``), and contact lines (or a
    tagline framed by two rules) below it."""
    out = _walk_up(info, zones, block[0], a) + block
    # Downwards: contact lines the zoning left out; a rule, and the tagline it frames with a second rule.
    j = out[-1] + 1
    blanks = 0
    while j < b:
        if zones[j] in QUOTEISH or zones[j] in FOOTERS:
            break
        x = info[j]
        if x.blank:
            blanks += 1
            if blanks > 1:
                break
            j += 1
            continue
        if x.separator:
            close = next((k for k in range(j + 1, min(b, j + 8)) if info[k].separator), None)
            if close is not None and not any(info[k].excluded or info[k].score < -1 for k in range(j + 1, close)):
                out.extend(range(out[-1] + 1, close + 1))
            else:
                out.extend(range(out[-1] + 1, j + 1))
            break
        if not x.strong or x.excluded:
            break
        out.extend(range(out[-1] + 1, j + 1))
        blanks = 0
        j += 1
    return out


def _introduced(info: _Lines, i: int, a: int) -> bool:
    """Line i is what the running text just above it announces: the nearest line above (across at most
    one blank line) is a sentence that ends with a colon ("This may work for you:", "Call me at:")."""
    j = i - 1
    if j >= a and not info.lines[j].strip():
        j -= 1
    if j < a:
        return False
    above = info[j]
    text = above.text.strip()
    # four words or more: a label ("Phone:", "Mobile phone number:") is not a sentence
    return text.endswith((":", "：")) and len(text.split()) >= 4 and not above.excluded and not above.strong


# Words a sentence does not end on: a line ending with one is continued on the next line. Lower case
# only (and "The"), so that a state or province code ending an address line ("Portland, OR",
# "Toronto, ON", "Indianapolis, IN") or "Suite A" is not taken for one.
_OPEN_END = re.compile(r"(?:^|\s)(?:to|at|the|The|of|in|on|for|and|or|with|from|by|a|an|via|into|your|our|"
                       r"this|that|is|are|be|please)\s*$")


def _continues(info: _Lines, i: int, a: int) -> bool:
    """Line i carries on the sentence of the line right above it, which ends on a word no sentence ends
    on ("… point your browser to the" / "subscription form at" / "http://…")."""
    return i - 1 >= a and bool(info.lines[i - 1].strip()) and bool(_OPEN_END.search(info.lines[i - 1]))


def _under_sign_off(info: _Lines, i: int, a: int, *, blank_lines: int = 1) -> bool:
    """Line i is the name under a sign-off ("Best regards,\n\nJane"): at most ``blank_lines`` between."""
    j = i - 1
    while blank_lines and j >= a and info.lines[j].strip() == "":
        j -= 1
        blank_lines -= 1
    return j >= a and info[j].sign_off


def _from_tail(info: _Lines, zones: list[str], a: int, b: int,
               sender_check: Callable[[str], float] | None) -> Block | None:
    """A signature the zoning missed: contact lines ending the author's text, read bottom-up."""
    # The footers under the text (a disclaimer in two languages with a rule between them) are skipped
    # first, and the scan window starts above them: a long disclaimer must not push the signature out.
    low = max(a, b - _TAIL_SCAN - _MAX_FOOTER)
    i = b - 1
    while i >= low and (not info.lines[i].strip() or zones[i] in FOOTERS or info[i].excluded
                        or _rule_between_footers(info, zones, i, low, b)):
        i -= 1
    floor = max(a, i + 1 - _TAIL_SCAN)
    if i < floor or zones[i] in QUOTEISH:
        return None
    bottom = i
    if info[i].separator:  # the bottom rule of a frame
        i -= 1
        if i >= floor and not info.lines[i].strip():
            i -= 1
    if i < floor or zones[i] in QUOTEISH or info[i].score < 0.6 or _continues(info, i, floor):
        return None
    block = _walk_up(info, zones, i, floor) + list(range(i, bottom + 1))
    block = _trimmed(info, block)
    if not block or not (_valid(info, block, sender_check, strict=True)
                         or _signed_contact(info, block, floor, sender_check)):
        return None
    strong = sum(1 for j in block if info[j].strong)
    return Block(lines=block, closing_name=None, source="detected",
                 confidence=round(min(0.85, 0.5 + 0.08 * strong), 2))


def _rule_between_footers(info: _Lines, zones: list[str], i: int, a: int, b: int) -> bool:
    """Line i is a rule between two footer parts (an English and a French disclaimer): the nearest
    lines above and below it are footer or disclaimer lines. A rule with the author's lines above it
    is not (it may be the bottom of a framed signature)."""
    if not info[i].separator:
        return False
    below = next((j for j in range(i + 1, b) if info.lines[j].strip()), None)
    above = next((j for j in range(i - 1, a - 1, -1) if info.lines[j].strip()), None)
    return (below is not None and above is not None
            and all(zones[j] in FOOTERS or info[j].excluded for j in (above, below)))


def _signed_contact(info: _Lines, block: list[int], a: int,
                    sender_check: Callable[[str], float] | None) -> bool:
    """A one-line signature right under the closing: a phone number under the signer's name ("Dana" /
    "(212) 555-0133"), or a company with its legal form under the sign-off ("Thank you," / "Northwind
    Trading, Inc.", which is not a person's name). A single contact line alone proves little; under a
    closing it is the signature (strict tail detection otherwise wants two lines, or the sender's name in
    the block). An internal extension alone ("x1715") is still not enough: it has no number to keep."""
    content = [i for i in block if not info[i].blank and not info[i].separator]
    if len(content) != 1:
        return False
    x = info[content[0]]
    if x.prose or not (x.phones or (x.organisation and legal_form(clean(x.text)))):
        return False
    j = content[0] - 1
    if j >= a and not info.lines[j].strip():
        j -= 1  # at most one blank line between
    if j < a:
        return False
    above = info[j]
    if above.sign_off:
        return True
    if not _short_name_line(above) or not western_name(clean(above.text).lstrip("-~ "), allow_single=True):
        return False
    return _under_sign_off(info, j, a) or bool(sender_check and sender_check(clean(above.text)) >= 0.6)


def _closing_name(info: _Lines, zones: list[str], a: int, stop: int,
                  sender_check: Callable[[str], float] | None) -> int | None:
    """The name line under the last sign-off before ``stop`` (the block's first line or the region end);
    else the author's last line when it is, or ends with, the sender's name ("Kate", "... --Sally")."""
    found = _under_sign_off_name(info, zones, a, stop)
    if found is not None or sender_check is None:
        return found
    for i in range(stop - 1, max(a, stop - 12) - 1, -1):
        x = info[i]
        if x.blank or x.separator or zones[i] in QUOTEISH or zones[i] in FOOTERS or x.excluded:
            continue
        text = clean(x.text).lstrip("-~ ")
        if _short_name_line(x) and western_name(text, allow_single=True) and sender_check(text) >= 0.6:
            return i
        tail = trailing_name(x.text)
        if tail and sender_check(tail) >= 0.6:
            return i
        return None
    return None


def _under_sign_off_name(info: _Lines, zones: list[str], a: int, stop: int) -> int | None:
    for i in range(stop - 1, max(a, stop - 12) - 1, -1):
        x = info[i]
        if x.blank or x.separator:
            continue
        if zones[i] in QUOTEISH or x.excluded or zones[i] in FOOTERS:
            continue
        if x.sign_off:
            return None  # the sign-off is the last line: no name under it
        if _under_sign_off(info, i, a) and _short_name_line(x):
            return i
        if zones[i] == "closing" and _short_name_line(x) and not x.sign_off:
            j = i - 1
            while j >= a and not info.lines[j].strip():
                j -= 1
            if j >= a and (zones[j] == "closing" or info[j].sign_off):
                return i
        return None
    return None


def _short_name_line(x: LineInfo) -> bool:
    s = clean(x.text)
    return bool(s) and len(s) <= 40 and len(s.split()) <= 5 and not x.prose and not x.phones and not x.links


def _tidy(info: _Lines, block: list[int]) -> list[int]:
    """No leading/trailing blank lines; a lone trailing separator stays only when the block opened with one."""
    out = list(block)
    while out and info[out[0]].blank:
        out.pop(0)
    while out and info[out[-1]].blank:
        out.pop()
    return out
