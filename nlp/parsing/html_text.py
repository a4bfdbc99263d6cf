"""HTML to readable text, in one forward pass: linear time on any input, bounded memory.

Why not ``html.parser``: with handlers that do nothing it already takes 2-3x the time this whole
conversion takes on the corpus's HTML mail, and before Python 3.11.13 it is quadratic on some unclosed
constructs. Here one linear regex lists the tokens (tag or text) in C, window by window, and each token
is handled once; attributes are read only for the few tags whose rendering depends on them. Past
``MAX_TOKENS`` the rest is flattened to text (recorded), so hostile HTML costs a bounded time.

The text keeps what a reader sees and what the zoning stage needs:
- paragraphs and headings are separated by a blank line, ``<div>`` / ``<br>`` / Outlook's
  ``p.MsoNormal`` end a line (Gmail and Outlook write one element per visual line);
- lists become ``- item`` / ``1. item`` (nested lists indented two spaces per level);
- links become ``text (url)`` when the text is not the URL itself;
- table cells are joined with `` | ``, one row per line;
- ``<hr>`` becomes a line of 32 underscores, as Outlook writes it in its own plain-text part;
- quoted mail is prefixed with ``> `` per level: ``<blockquote>`` (Gmail ``gmail_quote``, Apple and
  Thunderbird ``type=cite``; not Gmail's margin-only "indent" blockquote), Yahoo's ``yahoo_quoted``,
  Outlook's ``mail-editor-reference-message-container``, and everything *after* Outlook's reply header
  box (``div#divRplyFwdMsg`` on the web, the ``border-top:solid #E1E1E1`` box in Word HTML), because
  Outlook puts the quoted thread after that header as siblings, not inside a container. The reply header
  itself ("From: … Sent: …") and Gmail's "On … wrote:" line stay unprefixed, as in a plain-text reply.
"""

from __future__ import annotations

import re
from html import unescape

__all__ = ["MAX_QUOTE_DEPTH", "MAX_STACK", "html_to_text"]

MAX_QUOTE_DEPTH = 30  # "> " prefixes on one line; deeper quoting is drawn at this depth
MAX_STACK = 1000  # open elements tracked; deeper nesting is read as text without structure
MAX_ATTR_REGION = 4096  # characters of one tag searched for an attribute
MAX_HREF = 2048
MAX_TOKENS = 60_000  # tags and texts laid out; real mail has under 20,000, the rest is flattened
MAX_ENTITIES = 20_000  # character references decoded one by one; the rest only the common five
MAX_LIST_INDENT = 8
_WINDOW = 32 * 1024
HR_LINE = "_" * 32

# One token: a tag (its attributes may not hold "<", so an unclosed tag costs only up to the next
# "<"), a run of text, a declaration (<!DOCTYPE>, <![endif]>), or a lone "<". Single pass, linear.
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:._-]*)([^<>]*)>|([^<]+)|<[!?][^<>]*>?|(<)")
_ANY_TAG = re.compile(r"<[^<>]*>")
# What is never shown: comments, and the content of script, style, head...
_HIDDEN = re.compile(r"<!--|<(script|style|title|template|xml|svg|head|object|noembed)\b", re.IGNORECASE)
_UNQUOTED = re.compile(r"[^\s>]*")
_ATTRS = {name: re.compile(r"(?<![\w:.-])" + name + r"\s*=\s*", re.IGNORECASE)
          for name in ("href", "class", "id", "style", "type", "start")}
_CLOSERS = {name: re.compile(r"</" + name + r"[\s>]", re.IGNORECASE)
            for name in ("script", "style", "title", "template", "xml", "svg", "head", "object", "noembed")}
# Invisible characters newsletters pad their preheaders with.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e"), None)

# Elements that end the line before and after them.
_BLOCK = frozenset({"div", "address", "article", "aside", "center", "dd", "dt", "fieldset", "figcaption",
                    "figure", "footer", "form", "header", "main", "nav", "section", "caption", "details",
                    "summary", "tbody", "thead", "tfoot", "noscript", "legend", "menu", "dir", "option"})
# Elements with a blank line before and after them.
_PARA = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "dl"})

# Element kinds on the stack: what closing the element does.
_K_BLOCK, _K_PARA, _K_QUOTE, _K_LIST, _K_ITEM, _K_PRE, _K_LINK, _K_CELL, _K_ROW, _K_REPLY = range(10)


def html_to_text(html: str, problems: list[str] | None = None) -> str:
    """Readable text for ``html``; lines joined with "\\n", at most one blank line in a row.

    What was simplified to stay within the bounds (``MAX_TOKENS``, ``MAX_ENTITIES``) is appended to
    ``problems``.
    """
    converter = _Converter()
    text = converter.run(html)
    if problems is not None:
        problems.extend(converter.cut)
    return text


class _Converter:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur: list[str] = []  # pieces of the line being built
        self.touched = False  # the line exists even if empty (&nbsp; paragraph, <br>)
        self.space = False  # whitespace seen since the last piece
        self.sep: str | None = None  # table cell separator owed before the next piece
        self.depth = 0  # quote depth now
        self.line_depth = 0  # quote depth when the current line started
        self.pre = 0
        self.stack: list[tuple[str, int]] = []
        self.open: dict[str, int] = {}
        self.lists: list[list[int]] = []  # [ordered, counter]
        self.link: tuple[str, list[str]] | None = None
        self.entities = MAX_ENTITIES
        self.cut: list[str] = []  # what the bounds simplified, for parse_problems

    # --- scanning -------------------------------------------------------------------------------
    def run(self, s: str) -> str:
        s = _strip_hidden(s)
        text, start, end = self.text, self.start, self.end
        pos, n, budget = 0, len(s), MAX_TOKENS
        while pos < n:
            # Windows end at a "<", where no token can straddle; tokens are listed in C per window.
            stop = s.find("<", pos + _WINDOW) if n - pos > _WINDOW else n
            stop = n if stop < 0 else stop
            tokens = _TOKEN.findall(s, pos, stop)
            for slash, name, attrs, chars, lone in tokens:
                if chars:
                    text(chars)
                elif name:
                    if slash:
                        end(name.lower())
                    else:
                        start(name.lower(), attrs[:MAX_ATTR_REGION])
                elif lone:
                    text(lone)
            pos = stop
            budget -= len(tokens)
            if budget <= 0 and pos < n:
                self.flatten(s[pos:])
                break
        return self.finish()

    def flatten(self, rest: str) -> None:
        """Past the token budget, the rest is text without structure: C-speed, one line."""
        self.cut.append(f"HTML over {MAX_TOKENS} tags and texts; the rest was read without its layout")
        self.brk()
        self.text(_ANY_TAG.sub(" ", rest))
        self.brk()

    # --- tags -----------------------------------------------------------------------------------
    def start(self, name: str, attrs: str) -> None:
        if name == "br":
            self.newline()
        elif name in _BLOCK:
            kind = _K_BLOCK
            if name == "div":
                kind = self._div_kind(attrs)
            self.brk()
            self.push(name, kind)
        elif name in _PARA:
            if name == "p":
                if self.stack and self.stack[-1][0] == "p":
                    self.pop_one()
                cls = _attr(attrs, "class") if "=" in attrs else None
                if cls and "msonormal" in cls.lower():  # Outlook: one paragraph per visual line
                    self.brk()
                    self.push(name, _K_BLOCK)
                    return
            self.brk(blank=True)
            self.push(name, _K_PARA)
        elif name == "li":
            if self.stack and self.stack[-1][0] == "li":
                self.pop_one()
            self.brk()
            self.bullet()
            self.push(name, _K_ITEM)
        elif name in ("ul", "ol"):
            self.brk(blank=not self.lists)
            start = 0
            if name == "ol":
                value = _attr(attrs, "start")
                start = int(value) - 1 if value and value.strip().isdigit() and len(value) < 9 else 0
            if self.push(name, _K_LIST):
                self.lists.append([name == "ol", start])
        elif name in ("td", "th"):
            while self.stack and self.stack[-1][0] in ("td", "th"):
                self.pop_one()
            if self.cur:
                self.sep = " | "
            self.push(name, _K_CELL)
        elif name == "tr":
            while self.stack and self.stack[-1][0] in ("td", "th", "tr"):
                self.pop_one()
            self.brk()
            self.push(name, _K_ROW)
        elif name == "a":
            if self.link is not None:
                self.end_link()
            href = _attr(attrs, "href")
            self.link = ((href or "").strip()[:MAX_HREF], [])
            self.push(name, _K_LINK)
        elif name == "blockquote":
            self.brk()
            self.push(name, _K_QUOTE if _is_quote(attrs) else _K_BLOCK)
        elif name == "pre":
            self.brk(blank=True)
            self.push(name, _K_PRE)
        elif name == "hr":
            self.brk()
            self.cur.append(HR_LINE)
            self.line_depth = self.depth
            self.brk()

    def _div_kind(self, region: str) -> int:
        if "=" not in region:
            return _K_BLOCK
        ident = _attr(region, "id") or ""
        if ident.startswith("divRplyFwdMsg"):
            return _K_REPLY
        if ident.startswith("mail-editor-reference-message-container"):
            return _K_QUOTE
        cls = _attr(region, "class") or ""
        if "yahoo_quoted" in cls:
            return _K_QUOTE
        style = _attr(region, "style")
        if style and "border-top" in style.lower():
            compact = "".join(style.lower().split())
            if "border-top:solid#e1e1e1" in compact or "border-top:solid#b5c4df" in compact:
                return _K_REPLY  # Outlook desktop's reply header box
        return _K_BLOCK

    def push(self, name: str, kind: int) -> bool:
        if len(self.stack) >= MAX_STACK:
            return False
        self.stack.append((name, kind))
        self.open[name] = self.open.get(name, 0) + 1
        if kind == _K_QUOTE:
            self.depth += 1
        elif kind == _K_PRE:
            self.pre += 1
        return True

    def end(self, name: str) -> None:
        if name == "br":  # </br> is read as <br> by browsers
            self.newline()
            return
        if not self.open.get(name):
            return  # nothing to close: inline elements are never pushed
        while self.stack:
            if self.pop_one() == name:
                break

    def pop_one(self) -> str:
        name, kind = self.stack.pop()
        self.open[name] -= 1
        if kind == _K_BLOCK or kind == _K_ITEM or kind == _K_ROW:
            self.brk()
        elif kind == _K_PARA:
            self.brk(blank=True)
        elif kind == _K_QUOTE:
            self.brk()
            self.depth -= 1
        elif kind == _K_LIST:
            self.lists.pop()
            self.brk(blank=not self.lists)
        elif kind == _K_PRE:
            self.pre -= 1
            self.brk(blank=True)
        elif kind == _K_LINK:
            self.end_link()
        elif kind == _K_REPLY:
            self.brk()
            self.depth += 1  # Outlook: the quoted thread follows the header box, to the end
        return name

    # --- text -----------------------------------------------------------------------------------
    def text(self, s: str) -> None:
        if "&" in s:
            s = self.unescape(s)
        if not s.isascii():
            s = s.translate(_INVISIBLE)
        if self.pre:
            self.pre_text(s)
            return
        words = s.split()
        if not words:
            if s:
                self.space = True
                if "\xa0" in s:
                    self.touched = True
            return
        piece = " ".join(words)
        self.add(piece, s[0].isspace())
        self.space = s[-1].isspace()

    def unescape(self, s: str) -> str:
        count = s.count("&")
        if count <= self.entities:
            self.entities -= count
            return unescape(s)
        if self.entities >= 0:
            self.cut.append(f"over {MAX_ENTITIES} character references; the rest decoded in part")
            self.entities = -1
        return (s.replace("&nbsp;", "\xa0").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", '"').replace("&amp;", "&"))

    def add(self, piece: str, lead_space: bool = False) -> None:
        cur = self.cur
        if not cur:
            self.line_depth = self.depth
            self.sep = None
        elif self.sep is not None:
            cur.append(self.sep)
            self.sep = None
        elif (self.space or lead_space) and not cur[-1].endswith(" "):
            cur.append(" ")
        cur.append(piece)
        if self.link is not None:
            self.link[1].append(" " + piece)

    def pre_text(self, s: str) -> None:
        rows = s.split("\n")
        for number, row in enumerate(rows):
            if number:
                self.newline()
            if row:
                if not self.cur:
                    self.line_depth = self.depth
                self.cur.append(row.replace("\t", "    "))

    def bullet(self) -> None:
        indent = "  " * min(max(0, len(self.lists) - 1), MAX_LIST_INDENT)
        if self.lists and self.lists[-1][0]:
            self.lists[-1][1] += 1
            mark = f"{indent}{self.lists[-1][1]}. "
        else:
            mark = f"{indent}- "
        self.cur.append(mark)
        self.line_depth = self.depth
        self.touched = True

    def end_link(self) -> None:
        if self.link is None:  # already ended by a nested <a>, which HTML does not allow
            return
        href, pieces = self.link
        self.link = None
        if not href or href.startswith(("#", "javascript:", "cid:", "data:")):
            return
        if "&" in href:
            href = unescape(href)
        label = " ".join("".join(pieces).split())
        if not label:
            return  # an image link: its URL alone says nothing to a reader
        target = href[7:].split("?", 1)[0] if href.lower().startswith("mailto:") else href
        if label == target or label.rstrip("/") == target.rstrip("/") \
                or target.split("://", 1)[-1].rstrip("/") == label.rstrip("/"):
            return
        self.cur.append(f" ({target})")

    # --- lines ----------------------------------------------------------------------------------
    def newline(self) -> None:
        self.flush()

    def brk(self, blank: bool = False) -> None:
        if self.cur or self.touched:
            self.flush()
        if blank and self.lines and self.lines[-1].strip("> ") != "":
            self.lines.append(_prefix(self.depth).rstrip())

    def flush(self) -> None:
        depth = self.line_depth if self.cur else self.depth
        text = "".join(self.cur).rstrip()
        self.lines.append((_prefix(depth) + text).rstrip() if depth else text)
        self.cur = []
        self.touched = False
        self.space = False
        self.sep = None

    def finish(self) -> str:
        if self.link is not None:
            self.end_link()
        if self.cur:
            self.flush()
        out: list[str] = []
        blank = True  # drops leading blank lines
        for line in self.lines:
            empty = not line.strip("> ")
            if empty and blank:
                continue
            out.append(line)
            blank = empty
        while out and not out[-1].strip("> "):
            out.pop()
        return "\n".join(out)


def _strip_hidden(s: str) -> str:
    """``s`` without comments and hidden elements; each search moves forward, so linear."""
    m = _HIDDEN.search(s)
    if m is None:
        return s
    out: list[str] = []
    pos = 0
    while m is not None:
        out.append(s[pos:m.start()])
        name = m.group(1)
        if name is None:  # a comment; unclosed, it hides the rest, as in browsers
            k = s.find("-->", m.end())
            pos = len(s) if k < 0 else k + 3
        else:
            closer = _CLOSERS[name.lower()].search(s, m.end())
            if closer is not None:
                k = s.find(">", closer.end() - 1)
                pos = len(s) if k < 0 else k + 1
            elif name.lower() == "head":  # <head> left open is common: its content is the page
                k = s.find(">", m.end())
                pos = len(s) if k < 0 else k + 1
            else:
                pos = len(s)
        m = _HIDDEN.search(s, pos)
    out.append(s[pos:])
    return "".join(out)


def _prefix(depth: int) -> str:
    return "> " * min(depth, MAX_QUOTE_DEPTH)


def _attr(region: str, name: str) -> str | None:
    m = _ATTRS[name].search(region)
    if m is None:
        return None
    i = m.end()
    if i < len(region) and region[i] in "\"'":
        j = region.find(region[i], i + 1)
        value = region[i + 1:j if j >= 0 else len(region)]
    else:
        value = _UNQUOTED.match(region, i).group(0)  # type: ignore[union-attr]
    return unescape(value) if "&" in value else value


def _is_quote(region: str) -> bool:
    """A blockquote quotes mail unless it is Gmail's or Outlook's margin-only indent."""
    if "=" not in region:
        return True
    kind = (_attr(region, "type") or "").lower()
    cls = (_attr(region, "class") or "").lower()
    if kind == "cite" or "quote" in cls:
        return True
    style = "".join((_attr(region, "style") or "").lower().split())
    return not ("border:none" in style and "margin" in style)
