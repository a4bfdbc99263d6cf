"""The zones, made to agree with the signature block the signature stage found.

The zone stage labels lines one by one; the signature stage then checks its ``signature`` runs (contact
data, little running text, the end of the author's text) and finds signatures the zoning missed. Its
block is the better reading (on Quagga Enron, signature-line precision 0.95 against the zone stage's
0.61), and a result whose ``zones`` said one thing and whose ``signature`` another would leave a reader
of the JSON to choose. So after the signature stage:

- in the author's region, the block's lines are ``signature``, but for the name under the sign-off,
  which is the closing's as the interface defines it (a line the zoning put in the closing stays
  there; a name line right under the sign-off goes back to it). A line the zoning called ``signature``
  that is not in the block is the author's text (``closing`` when it is the name under the sign-off),
  unless its run opens with a signature delimiter ("-- ", "—", a rule) or is a short run right under
  the closing ("Regards,\\n\\nJohn Doe\\nCEO @ Acme"): such a run is a signature whether or not
  it holds contact data ("--\\nrick"), so the zone can hold a signature the ``signature`` result leaves
  out (it reports contact blocks only), never the other way round;
- outside it, a ``signature`` line under an unmarked quote or forward (Outlook's "From: … Sent: …" and
  the message under it, a forwarded message) is part of that message: the quoted person's contact
  lines are not the author's signature. Under a ">" quote it stays: that is the author's own signature,
  written below the quote.

Blank lines keep their zone.
"""

from __future__ import annotations

from nlp.signature.block import QUOTEISH, Block, author_region
from nlp.signature.text import is_sign_off
from nlp.zoning.zoner import is_delimiter

__all__ = ["agree_zones"]

_QUOTE_MARKS = (">", "|", "＞")


def _under_closing(lines: list[str], zones: list[str], i: int) -> bool:
    """A short run right under the closing (the sign-off and the name under it; blank lines between at
    most): "Regards,\n\nJohn Doe\nCEO @ Acme". The zoning's reading of the lines under a closing holds
    without contact data."""
    k = i - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or zones[k] != "closing":
        return False
    j = i
    content = 0
    while j < len(zones) and zones[j] == "signature":
        if lines[j].strip():
            content += 1
            if content > _SHORT_RUN or len(lines[j].split()) > _SHORT_WORDS:
                return False
        j += 1
    return True


_SHORT_RUN = 6
_SHORT_WORDS = 8


def agree_zones(lines: list[str], zones: list[str], block: Block | None) -> list[str]:
    """The zones with the block's lines as ``signature`` and the zoning's other ``signature`` lines
    moved where they belong (see the module docstring)."""
    if block is None and "signature" not in zones:
        return zones  # nothing to agree on (most mail): the loop below would change nothing
    out = list(zones)
    a, b = author_region(zones, lines)
    members = set(block.lines) if block is not None else set()
    closing_name = block.closing_name if block is not None else None
    delimited = False  # inside a signature run that opens with a delimiter or sits right under the closing
    opened = False  # the current signature run's first non-blank line has been seen
    above: str | None = None  # the zone of an unmarked quote or forward above, outside the author's region
    for i, zone in enumerate(zones):
        text = lines[i].strip()
        if zone != "signature":
            delimited = opened = False
        elif text and not opened:
            opened = True
            delimited = is_delimiter(text) or _under_closing(lines, zones, i)
        if not text:
            continue
        if a <= i < b:
            # the block may hold lines the zoning called quoted or forwarded inside the author's text (the
            # signature stage reads those as the author's, as a reader would): they are the signature too.
            # The name under the sign-off stays the closing's, as the interface defines it, even where the
            # block reads it as the first line of the contact details.
            if i in members and zone != "closing":
                out[i] = "signature"
            elif zone == "signature" and i == closing_name:
                out[i] = "closing"
            elif zone == "signature" and not delimited:
                out[i] = "new_text"
            continue
        if zone == "signature":
            if above is not None:
                out[i] = above
        elif zone in QUOTEISH:
            above = None if text.startswith(_QUOTE_MARKS) else ("forwarded" if zone == "forwarded" else "quoted")
        else:
            above = None
    _name_to_closing(lines, out, a, b)
    return out


def _name_to_closing(lines: list[str], zones: list[str], a: int, b: int) -> None:
    """The interface's closing holds the sign-off and the name under it: a name line right under the
    sign-off (no blank line between) that the zoning or the block put in the signature goes back to
    the closing ("Best regards,\nJane Roe\nAcme Corp": Jane Roe is the closing's)."""
    for i in range(max(a, 1), b):
        if zones[i] != "signature" or zones[i - 1] != "closing":
            continue
        sign_off, name = lines[i - 1].strip(), lines[i].strip()
        if (is_sign_off(sign_off) and 0 < len(name.split()) <= 4 and len(name) <= 40
                and any(c.isalpha() for c in name) and not any(c.isdigit() or c in "@|/:" for c in name)):
            zones[i] = "closing"
