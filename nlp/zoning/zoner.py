"""Zone every line of many message bodies at once: ``Zoner().pipe(bodies) -> list[Zoning]``.

Work per message is capped: the first ``head`` and last ``tail`` lines are classified (headers,
greetings and new text sit at the top; signatures, footers and disclaimers at the bottom); a line in
between takes the zone of the quote or forward region it lies in, or ``quoted`` when it starts with
">", else ``new_text``, with a low confidence. Real mail rarely reaches the cap (the SpamAssassin
corpus: 95 % of bodies under 110 lines); hostile mail cannot make zoning slow.

Four rules run after the model, each for a mistake a line-by-line decode can make but a reader would
not:
- ``unsupported_headers``: a ``quote_header`` run with no header's cue in it (:func:`header_cues`: a
  field name, an "original message" or forward marker, a "wrote" verb with its date, lead or colon, a
  date beside an address, a pasted "FW:" subject) takes the zone of the region it stands in: "Time: …"
  and "Outage: …" lines of a notice are not a header;
- ``unanchored_quotes``: a ``quoted`` run with nothing that marks it as a quote (no ">" line, no
  non-blank quote header, forwarded message or mobile footer above it) is the author's text, or the
  signature when it opens with a rule right under the sign-off;
- ``unmarked_quotes``: a quote written the Outlook way (a strong header under the author's text, no ">"
  down to the next header) runs to the next header, sign-off included;
- ``disclaimer_paragraphs``: a disclaimer paragraph ending the message is zoned as a whole, so that
  its lines without a cue word do not read as the author's text.
A line a rule relabels gets the confidence of a filled line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from nlp.zoning.features import BASE, extract
from nlp.zoning.labels import NEW_TEXT_ZONES, ZONES
from nlp.zoning.model import ZoningModel
from nlp.zoning.patterns import MAX_CHARS, RE

__all__ = ["Zoner", "Zoning", "HEAD_LINES", "TAIL_LINES", "disclaimer_paragraphs", "header_cues", "is_delimiter",
           "unanchored_quotes",
           "strong_headers", "unmarked_quotes", "unsupported_headers"]

HEAD_LINES = 400
TAIL_LINES = 80
_FILL_CONFIDENCE = 0.5
_QUOTE_START = (">", "|", "＞")


@dataclass
class Zoning:
    """The zones of one body: ``zones[i]`` and ``confidence[i]`` belong to ``lines[i]``."""

    lines: list[str]
    zones: list[str]
    confidence: list[float]

    def runs(self) -> list[dict]:
        """Runs of equal zones, ``end_line`` inclusive, confidence = mean over the run."""
        out: list[dict] = []
        start = 0
        n = len(self.zones)
        for i in range(1, n + 1):
            if i == n or self.zones[i] != self.zones[start]:
                conf = sum(self.confidence[start:i]) / (i - start)
                out.append({"start_line": start, "end_line": i - 1, "zone": self.zones[start],
                            "confidence": round(float(conf), 4)})
                start = i
        return out

    @property
    def new_text(self) -> str:
        """Greeting, new text and closing lines joined, without leading/trailing blank lines."""
        kept = [line for line, zone in zip(self.lines, self.zones) if zone in NEW_TEXT_ZONES]
        while kept and not kept[0].strip():
            kept.pop(0)
        while kept and not kept[-1].strip():
            kept.pop()
        return "\n".join(kept)


class Zoner:
    def __init__(self, model: ZoningModel | None = None, *, head: int = HEAD_LINES, tail: int = TAIL_LINES):
        self.model = model or ZoningModel.load()
        self.head = head
        self.tail = tail

    def __call__(self, body: str) -> Zoning:
        return self.pipe([body])[0]

    def pipe(self, bodies: Iterable[str], *, batch_size: int = 256) -> list[Zoning]:
        """Zone many bodies; results come back in input order.

        Bodies are grouped by length before batching: the decode takes as many steps as the longest
        body of a batch, so long bodies are cheapest together.
        """
        items = [b or "" for b in bodies]
        order = sorted(range(len(items)), key=lambda i: items[i].count("\n"))
        out: list[Zoning | None] = [None] * len(items)
        for a in range(0, len(order), batch_size):
            chunk = order[a:a + batch_size]
            for i, z in zip(chunk, self._batch([items[i] for i in chunk])):
                out[i] = z
        return out  # type: ignore[return-value]

    def _batch(self, bodies: list[str]) -> list[Zoning]:
        all_lines = [(b or "").split("\n") for b in bodies]
        views: list[list[str]] = []
        for lines in all_lines:
            if len(lines) > self.head + self.tail:
                views.append(lines[: self.head] + lines[-self.tail:])
            else:
                views.append(lines)
        batch = extract(views)
        offsets = batch.offsets
        labels, conf = self.model.decode(batch)
        cue_arr, own_arr = header_cues(batch, [line for v in views for line in v])
        cue, own = cue_arr.tolist(), own_arr.tolist()
        strong = strong_headers(batch, own_arr).tolist()
        zone_names = np.array(ZONES, dtype=object)[labels].tolist()
        conf_list = conf.astype(float).round(4).tolist()
        out: list[Zoning] = []
        for k, lines in enumerate(all_lines):
            a = int(offsets[k])
            b = a + len(views[k])
            zones = zone_names[a:b]
            confs = conf_list[a:b]
            if len(views[k]) != len(lines):
                zones, confs = self._fill(lines, zones, confs)
            cues, owns, strongs = cue[a:b], own[a:b], strong[a:b]
            if len(cues) != len(lines):  # the unclassified middle is never a header: its flags are not read
                pad = [False] * (len(lines) - len(cues))
                cues = cues[: self.head] + pad + cues[self.head:]
                owns = owns[: self.head] + pad + owns[self.head:]
                strongs = strongs[: self.head] + [0] * len(pad) + strongs[self.head:]
            fixed = unsupported_headers(lines, zones, cues)
            fixed = unanchored_quotes(lines, fixed, owns)
            fixed = disclaimer_paragraphs(lines, unmarked_quotes(lines, fixed, strongs))
            confs = [c if a == b else _FILL_CONFIDENCE for a, b, c in zip(zones, fixed, confs)]
            out.append(Zoning(lines=lines, zones=fixed, confidence=confs))
        return out

    def _fill(self, lines: list[str], zones: list[str], confs: list[float]) -> tuple[list[str], list[float]]:
        """Zones for the unclassified middle of a very long body (see the module docstring)."""
        head_z, tail_z = zones[: self.head], zones[self.head:]
        head_c, tail_c = confs[: self.head], confs[self.head:]
        region = head_z[-1]
        plain = region if region in ("quoted", "forwarded") else "new_text"
        quoted = "forwarded" if region == "forwarded" else "quoted"
        middle = lines[self.head: len(lines) - self.tail]
        mid_z = [quoted if line.lstrip()[:1] in _QUOTE_START else plain for line in middle]
        return head_z + mid_z + tail_z, head_c + [_FILL_CONFIDENCE] * len(middle) + tail_c


_CUE_COLS = [BASE.index(name) for name in ("f_from", "f_sent", "f_to", "f_cc", "f_subject", "original", "forward",
                                           "open_angle_end", "prefixed")]
_DATE_COLS = [BASE.index(name) for name in ("date", "weekday", "time")]
_ADDRESS_COLS = [BASE.index(name) for name in ("email", "angle_email")]
_VERB_COL = BASE.index("verb_end")
_LEAD_COL = BASE.index("lead")
_DATE_COL = BASE.index("date")
_TIME_COL = BASE.index("time")
_COLON_COL = BASE.index("end_colon")
_ADDR_COLON_COL = BASE.index("addr_colon_end")
_FIELD_COLS = [BASE.index(name) for name in ("f_from", "f_sent", "f_to", "f_cc", "f_subject")]
_MARKER_COLS = [BASE.index(name) for name in ("original", "forward")]
_VERB_ANY = RE["verb_any"]


def header_cues(batch, lines: list[str]) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """Two masks over the batch's lines (``lines``, in its order): ``cues``, lines with something of a
    quote header in them, and ``own``, lines that are a header on their own.

    ``cues``: a header field, an "original message" or forward marker, a ">" prefix; a "wrote" verb at
    the end with its colon, a lead ("On …"), a date or an address, or inside the line with a date or a
    lead ("Am 03.06.2025 um 13:15 schrieb Mette:", "Op 3 jun. 2025 heeft … het volgende geschreven:");
    a date with a lead or an address; a date and a time before a closing colon ("2024/06/03 10:00
    山田太郎さん:"); an address before a colon. A verb alone is not one ("… Chicago officials said"), nor
    a date alone before a colon ("(phase 2, on hold since 7/9/01):").

    ``own``: a marker; a "wrote" verb with its date, address or lead; a date beside an address (a header
    cut by a soft line break: "On Mon, 3 Jun … <cody@…> w=" / "rote:"). A heading with a date and time
    ("Standup 2025-06-03 09:30:") or an address before a colon ("Update from jane@acme.example:") is a
    cue, never a header on its own."""
    base = batch.base
    dated = base[:, _DATE_COLS].sum(1) > 0
    addressed = base[:, _ADDRESS_COLS].sum(1) > 0
    lead = base[:, _LEAD_COL] > 0
    colon = base[:, _COLON_COL] > 0
    verb_end = base[:, _VERB_COL] > 0
    verb = verb_end & (dated | addressed | lead)
    timed = (base[:, _DATE_COL] > 0) & (base[:, _TIME_COL] > 0)
    own = (base[:, _MARKER_COLS].sum(1) > 0) | verb | dated & addressed
    cues = own | (base[:, _CUE_COLS].sum(1) > 0) | verb_end & colon | (base[:, _ADDR_COLON_COL] > 0) & addressed \
        | dated & lead | timed & colon
    # the verb inside the line: searched only where a date or lead stands and no cue was found yet
    for i in np.flatnonzero((dated | lead) & ~cues).tolist():
        if _VERB_ANY.search(lines[i][:MAX_CHARS].lower()):
            cues[i] = own[i] = True
    return cues, own


def strong_headers(batch, own: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """Per line, a bitmask: bit 5 for a line that is a header on its own (``own`` of
    :func:`header_cues`), bits 0-4 for the header fields it names (From, Sent/Date, To, Cc, Subject). A
    header run is strong when a line of it has bit 5 or its lines name three different fields
    (:func:`_strong_run`)."""
    fields = (batch.base[:, _FIELD_COLS] > 0).astype(np.int64) @ (1 << np.arange(len(_FIELD_COLS)))
    return fields | (own.astype(np.int64) << 5)


def _strong_run(strong: list[int], i: int, j: int) -> bool:
    kinds = 0
    for k in range(i, j):
        if strong[k] >> 5:
            return True
        kinds |= strong[k]
    return bin(kinds).count("1") >= 3


# A subject line pasted above a forward or a ticket ("FW: Arrival notice", "AW: Angebot"), or a raw
# header line of the message itself that leaked into the body ("MIME-Version: 1.0", "X-Mailer: …").
_SUBJECT_PREFIX = re.compile(
    r"(?:re|fwd?|aw|wg|rv|sv|antw|odp)\s?:|(?:mime-version|content-transfer-encoding|message-id|return-path|"
    r"x-mailer|x-originating-ip|x-mimeole|x-ms-has-attach|x-msmail-priority)\s?:|received:\s?(?:from|by)\s|"
    r"references:\s?<", re.IGNORECASE)


def unsupported_headers(lines: list[str], zones: list[str], cues: list[bool]) -> list[str]:
    """A quote header needs a header's cue. The line model reads "Time: …", "Impact: …" or a heading
    of a notice as a header block and then the rest of the notice as the quote under it. A run of
    ``quote_header`` lines none of which carries a cue (:func:`header_cues`), a pasted subject line
    ("FW: …") or a raw header line of the message itself ("MIME-Version: 1.0") takes the zone of the
    region it stands in: ``quoted`` or ``forwarded`` when the nearest line above it is quoted or
    forwarded, ``quoted`` under a real header, ``signature`` under a real sign-off, else ``new_text``;
    a quote that such a run anchored then has no anchor, and :func:`unanchored_quotes` returns it to
    the author. A run of blank lines is left to the model."""
    if "quote_header" not in zones:
        return zones
    out = list(zones)
    region = "new_text"
    i, n = 0, len(zones)
    while i < n:
        if out[i] != "quote_header":
            if lines[i].strip():
                region = out[i] if out[i] in ("quoted", "forwarded") else "new_text"
            i += 1
            continue
        j = i
        while j < n and out[j] == "quote_header":
            j += 1
        if any(cues[i:j]) or any(_SUBJECT_PREFIX.match(lines[k][:40].lstrip()) for k in range(i, j)):
            region = "quoted"
        elif any(lines[k].strip() for k in range(i, j)):
            # under the sign-off, a line the model took for a header is the signature ("Jane Roe | AE")
            signed = region == "new_text" and (_above(lines, out, i) == "signature" or _signed_off_above(lines, out, i))
            out[i:j] = ["signature" if signed else region] * (j - i)
        i = j
    return out


# What a quote may follow without markers: its header, a forwarded message, or a mobile footer (phone
# clients write the quoted thread right under "Sent from my iPhone").
_QUOTE_ANCHORS = frozenset(("quote_header", "forwarded", "mobile_footer"))


def unanchored_quotes(lines: list[str], zones: list[str], own: list[bool] | None = None) -> list[str]:
    """A quote needs an anchor. The line model sometimes drifts into ``quoted`` inside long running
    text (a news digest, a sentence that opens with a quotation mark) and the decode stays there for
    dozens of lines. A run of ``quoted`` lines (blank lines inside it included) becomes the author's
    text (:func:`_unquoted_zone`) when none of its lines starts with a quote marker and no anchor
    (``_QUOTE_ANCHORS``, on a non-blank line: a blank line the model called a header anchors nothing)
    or marked quote comes before it. Quotes written the Outlook way (no markers, under "From: … Sent:
    …") keep their zone: the header above anchors them. A line that is a header on its own (``own``,
    see :func:`header_cues`: "On June 3, 2025 Mike wrote:") that the model left in the author's text
    right above a quote is that quote's header, and anchors it."""
    out = list(zones)
    anchored = False
    i, n = 0, len(lines)
    while i < n:
        if out[i] in _QUOTE_ANCHORS and lines[i].strip():
            anchored = True
        elif own is not None and own[i] and out[i] == "new_text" and _next_quote(lines, out, i):
            out[i] = "quote_header"
            anchored = True
        if out[i] != "quoted":
            i += 1
            continue
        j = i
        while j < n and (out[j] == "quoted" or (not lines[j].strip() and j + 1 < n and out[j + 1] == "quoted")):
            j += 1
        marked = any(lines[k].lstrip()[:1] in _QUOTE_START for k in range(i, j))
        if marked:
            anchored = True
        elif not anchored:
            out[i:j] = [_unquoted_zone(lines, out, i, j)] * (j - i)
        i = j
    return out


# What the text under an unmarked quote's header may wrongly be, which the quote takes back.
_UNDER_HEADER = frozenset(("new_text", "greeting", "closing", "signature"))


def unmarked_quotes(lines: list[str], zones: list[str], strong: list[int]) -> list[str]:
    """A quote written the Outlook way (a header with its fields, then the message without ">") runs to
    the next header or forward: the line model drifts back to ``new_text`` in the middle of a long
    quoted message, and calls its sign-off ``closing``. After a header run with a strong header line
    (``strong``, per :func:`strong_headers`: a marker, a "wrote" verb with its date or address, or
    three different fields; the "Date:" or "Subject:" line of the author's own notice is not one) that
    has the author's text above it, when no line down to the next header starts with a quote marker (an
    interleaved reply has them), the author's zones there become ``quoted``. A header at the top of the
    body, with nothing written above it, heads the message itself (a mail pasted or forwarded whole):
    its text is left as the model read it."""
    if "quote_header" not in zones:
        return zones
    out = list(zones)
    n = len(zones)
    written = False  # the author's text seen above: once true it stays true
    i = 0
    while i < n:
        if out[i] != "quote_header":
            written = written or (out[i] in _UNDER_HEADER and bool(lines[i].strip()))
            i += 1
            continue
        j = i
        while j < n and out[j] == "quote_header":
            j += 1
        k = j
        while k < n and out[k] not in ("quote_header", "forwarded"):
            k += 1
        if written and _strong_run(strong, i, j) and not any(lines[m].lstrip()[:1] in _QUOTE_START for m in range(j, k)):
            for m in range(j, k):
                if out[m] in _UNDER_HEADER:
                    out[m] = "quoted"
        i = j
    return out


def _next_quote(lines: list[str], zones: list[str], i: int) -> bool:
    """Is the nearest non-blank line below line ``i`` quoted (blank header lines between allowed)?"""
    for k in range(i + 1, min(len(lines), i + 4)):
        if lines[k].strip():
            return zones[k] == "quoted"
        if zones[k] not in ("quote_header", "quoted", "new_text"):
            return False
    return False


def _unquoted_zone(lines: list[str], zones: list[str], i: int, j: int) -> str:
    """What an unanchored quote run is instead: the author's text, or the signature when it opens
    with a rule right under the sign-off ("Thanks,\n___________\nJane Roe\nDirect: …") or goes on
    from the signature above it in a few lines."""
    above = _above(lines, zones, i)
    content = [lines[k].strip() for k in range(i, j) if lines[k].strip()]
    first = content[0] if content else ""
    if above == "closing" and is_delimiter(first) and _signed_off_above(lines, zones, i):
        return "signature"
    if above == "signature" and len(content) <= _SIGNATURE_TAIL:
        return "signature"
    return "new_text"


def _above(lines: list[str], zones: list[str], i: int) -> str | None:
    """The zone of the nearest non-blank line above line ``i``."""
    return next((zones[k] for k in range(i - 1, -1, -1) if lines[k].strip()), None)


def _signed_off_above(lines: list[str], zones: list[str], i: int) -> bool:
    """Is the closing right above line ``i`` a real sign-off ("Best,\nJane")? The model sometimes calls
    a notice's "Location: …" line a closing; a header-like line under that is no signature."""
    seen = 0
    for k in range(i - 1, -1, -1):
        text = lines[k].strip()
        if not text:
            continue
        if zones[k] != "closing" or seen == _CLOSING_LINES:
            return False
        if _SIGN_OFF.search(text[:100].lower()):
            return True
        seen += 1
    return False


_SIGN_OFF = RE["signoff"]
_CLOSING_LINES = 3  # the sign-off, the name, perhaps a second name line
_SIGNATURE_TAIL = 6  # content lines an unanchored run may have to count as the rest of the signature


# The signature delimiter (RFC 3676 "-- ", the dash a phone makes of it) and the rules mail clients draw
# above a signature, Japanese ones included ("━━━━", "＝＝＝"). The zoning features' own patterns stay
# as the model was trained on them.
_DELIMITER = re.compile(r"--\s?|[—–]\s?|[-_=~*─━＝－―]{3,}")


def is_delimiter(text: str) -> bool:
    """Is the (stripped) line a signature delimiter or a rule?"""
    return _DELIMITER.fullmatch(text[:200]) is not None


# Zones a line of a disclaimer paragraph may wrongly carry, which the paragraph rule corrects.
_PARAGRAPH_FIXABLE = frozenset(("new_text", "closing", "quoted"))
_TAIL_ZONES = frozenset(("disclaimer", "mobile_footer", "list_footer"))
_SEPARATOR_CHARS = frozenset("-_=*~#+. \t")


def disclaimer_paragraphs(lines: list[str], zones: list[str]) -> list[str]:
    """A disclaimer is a paragraph: the model labels most of its lines ``disclaimer`` but some lines in
    the middle of it ``new_text``, ``closing`` or ``quoted`` (a line with no cue word, a line after a
    rule), and those lines then read as the author's text. Bottom-up, a paragraph (lines between blank
    lines) that ends the message -- only blank lines, rules, footers or quote headers and quoted text
    after it -- and has two or more ``disclaimer`` lines, at least half of its lines, and no ">" line
    becomes ``disclaimer`` from its first disclaimer line down, and the paragraph's first line right
    above that when it is running text (not a sign-off or a name). Signature,
    greeting and header lines are never changed."""
    out = list(zones)
    n = len(lines)
    k = n
    tail = True  # nothing but footers (or the quoted thread) below the paragraph being looked at
    while k > 0 and tail:
        while k > 0 and not lines[k - 1].strip():
            k -= 1
        end = k
        while k > 0 and lines[k - 1].strip():
            k -= 1
        para = range(k, end)
        if not para:
            break
        text = [lines[i].strip() for i in para]
        if len(para) == 1 and set(text[0]) <= _SEPARATOR_CHARS:
            continue  # a rule between two parts of the footer
        if all(out[i] in ("quote_header", "quoted", "forwarded") for i in para):
            if any(out[i] == "quote_header" for i in para) or all(t[:1] in _QUOTE_START for t in text):
                continue  # the quoted thread under a top-posted reply
        if any(t[:1] in _QUOTE_START for t in text):
            break
        marked = [i for i in para if out[i] == "disclaimer"]
        # At least half of the paragraph must already read as disclaimer: mail whose line breaks were
        # lost is one long paragraph, and two stray disclaimer lines must not swallow the whole message.
        if (len(marked) >= 2 and 2 * len(marked) >= len(para)
                and all(out[i] == "disclaimer" or out[i] in _PARAGRAPH_FIXABLE for i in para)):
            for i in para:
                # above the first disclaimer line only the paragraph's opening line right above it, and
                # only running text (the disclaimer's first line without a cue word): a sign-off or the
                # name under it written right above a disclaimer ("Best,\nJeff\nThis message is
                # confidential…") stays, and so does the text of a mail whose line breaks were lost
                if i > marked[0] or (i == marked[0] - 1 == para.start and len(lines[i].split()) >= 5):
                    out[i] = "disclaimer"
        tail = all(out[i] in _TAIL_ZONES for i in para)
    return out
