"""What the zoning evaluation reads: the gold reply fixtures as bodies, and the Quagga line labels.

Quagga (GPL-3.0, *measure only*): ``NAME.ann`` JSON spans over the thread text. A line whose
midpoint lies in the first (newest, lowest offset) ``Body`` span is the author's new text, unless it
lies in a ``Body/Signature`` span, which makes it signature; every other line is neither ("other").
Never used for training or for choosing weights or thresholds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from models.zoning.data import Labelled, eml_body

__all__ = ["QuaggaMessage", "read_quagga", "double_encoded", "gold_body", "QUAGGA_SETS"]

QUAGGA_SETS = ("quagga-enron-train", "quagga-asf-train")


@dataclass
class QuaggaMessage:
    name: str
    text: str
    labels: list[str]  # new | signature | other, one per line of text.split("\n")
    double_encoded: bool


def double_encoded(text: str) -> bool:
    """UTF-8 read as cp1252/latin-1 and encoded again ("â€™" for "’")."""
    for enc in ("cp1252", "latin-1"):
        try:
            return text.encode(enc).decode("utf-8") != text
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return False


def _line_labels(text: str, denotations: list[dict]) -> list[str]:
    bodies = sorted((d for d in denotations if d["type"] == "Body"), key=lambda d: d["start"])
    first = bodies[0] if bodies else None
    sigs = [(d["start"], d["end"]) for d in denotations if d["type"] == "Body/Signature"]
    labels: list[str] = []
    pos = 0
    for line in text.split("\n"):
        mid = pos + len(line) / 2
        label = "other"
        if first is not None and first["start"] <= mid < first["end"]:
            label = "signature" if any(a <= mid < b for a, b in sigs) else "new"
        labels.append(label)
        pos += len(line) + 1
    return labels


def read_quagga(shared_data_dir: Path, name: str) -> list[QuaggaMessage]:
    folder = Path(shared_data_dir) / "zones" / name
    out: list[QuaggaMessage] = []
    for path in sorted(folder.glob("*.ann")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = data["text"]
        out.append(QuaggaMessage(name=path.name, text=text, labels=_line_labels(text, data["denotations"]),
                                 double_encoded=double_encoded(text)))
    return out


# --- bodies of the gold fixtures ----------------------------------------------------------------
def gold_body(item: Labelled) -> tuple[str, str]:
    """The body the zones index, and how it was obtained: ``(text, source)``."""
    if item.kind == "txt":
        return item.text or "", "file"
    raw = item.raw or b""
    if item.kind == "eml":
        kind, text = eml_body(raw)
        if kind == "plain":
            return text, "stdlib email"
        return html_to_body(text)
    return html_to_body(raw.decode("utf-8", errors="replace"))


def html_to_body(html: str) -> tuple[str, str]:
    """HTML as the parse stage renders it (quotes as "> " lines); a stdlib fallback without it."""
    try:
        import nlp.parsing.component  # noqa: F401  (registers the "parse" factory)
        from nlp.pipeline import FACTORIES, Doc, MessageInput

        parse = FACTORIES["parse"].make()
    except (ImportError, KeyError):
        return _FallbackHTML.convert(html), "stdlib html fallback"
    doc = Doc(MessageInput(html=html))
    parse([doc])
    return doc["body"], "parse stage"


class _FallbackHTML(HTMLParser):
    """Minimal HTML to text: block elements end lines, ``<blockquote>`` adds a "> " level."""

    _BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.depth = 0
        self.skip = 0

    @classmethod
    def convert(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return "\n".join(line.rstrip() for line in parser.lines).strip("\n")

    def _newline(self) -> None:
        self.lines.append("")

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag == "blockquote":
            self._newline()
            self.depth += 1
        elif tag == "hr":
            self._newline()
            self.lines[-1] = "> " * self.depth + "_" * 32
            self._newline()
        elif tag in self._BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self.depth = max(0, self.depth - 1)
            self._newline()
        elif tag in self._BLOCK and tag != "br":
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        parts = " ".join(data.split("\n")).split("\n")
        for part in parts:
            text = " ".join(part.split())
            if not text:
                continue
            if not self.lines[-1]:
                self.lines[-1] = "> " * self.depth
            sep = "" if self.lines[-1].endswith((" ", ">")) or not self.lines[-1] else " "
            self.lines[-1] += sep + text
