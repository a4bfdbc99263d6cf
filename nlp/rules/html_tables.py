"""HTML tables as grids of cell texts, read in one forward pass of a linear tokenizer.

Like ``nlp.parsing.html_text`` (and for the same reason: ``html.parser`` costs seconds on a large hostile
part), one regex lists the tokens in C and each is handled once; past ``MAX_TOKENS`` the rest is not read.
Text goes to the innermost open cell, so a layout table around a data table does not swallow it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape

__all__ = ["Cell", "tables_of", "norm_label", "MAX_HTML", "MAX_TOKENS"]

MAX_HTML = 2_000_000
MAX_TOKENS = 100_000  # tags and texts read; notification mail has a few thousand
MAX_OPEN = 100  # nested tables tracked

_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:._-]*)[^<>]*>|([^<]+)|<!--|<[!?][^<>]*>?|<")
_CLOSERS = {name: re.compile(r"</" + name + r"\s*>", re.IGNORECASE) for name in ("script", "style", "head", "title")}
_BREAKS = frozenset({"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class Cell:
    text: str
    header: bool


@dataclass
class _Table:
    rows: list[list[Cell]] = field(default_factory=list)
    cell: list[str] | None = None
    cell_header: bool = False

    def close_cell(self) -> None:
        if self.cell is None:
            return
        lines = [" ".join(line.split()) for line in unescape("".join(self.cell)).split("\n")]
        if not self.rows:
            self.rows.append([])
        self.rows[-1].append(Cell("\n".join(line for line in lines if line), self.cell_header))
        self.cell = None


def tables_of(html: str) -> list[list[list[Cell]]]:
    """Every table (inner ones first, as they close), as rows of cells; empty rows dropped."""
    text = html[:MAX_HTML]
    open_tables: list[_Table] = []
    done: list[_Table] = []
    at, count, size = 0, 0, len(text)
    while at < size and count < MAX_TOKENS:
        token = _TOKEN.match(text, at)
        count += 1
        if token is None:  # cannot happen ("<" alone matches), but never loop on it
            break
        at = token.end()
        name = token.group(2)
        if name is None:
            if token.group(3) is not None and open_tables and open_tables[-1].cell is not None:
                open_tables[-1].cell.append(token.group(3))
            elif token.group(0) == "<!--":
                end = text.find("-->", at)
                at = size if end < 0 else end + 3
            continue
        name = name.lower()
        closing = token.group(1) == "/"
        if not closing and name in _CLOSERS:
            found = _CLOSERS[name].search(text, at)
            at = size if found is None else found.end()
            continue
        if name == "table":
            if closing:
                if open_tables:
                    open_tables[-1].close_cell()
                    done.append(open_tables.pop())
            elif len(open_tables) < MAX_OPEN:
                open_tables.append(_Table())
            continue
        if not open_tables:
            continue
        table = open_tables[-1]
        if name == "tr":
            table.close_cell()
            if not closing:
                table.rows.append([])
        elif name in ("td", "th"):
            table.close_cell()
            if not closing:
                table.cell, table.cell_header = [], name == "th"
        elif name in _BREAKS and table.cell is not None:
            table.cell.append("\n")
    while open_tables:
        open_tables[-1].close_cell()
        done.append(open_tables.pop())
    return [[row for row in table.rows if row] for table in done]


@lru_cache(maxsize=4096)  # the same labels recur on every line of a form, and in every mail of it
def norm_label(text: str) -> str:
    """A label as compared: NFKC, case-folded, spaces collapsed, a trailing colon or required-mark dropped."""
    text = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return text.rstrip(":*=※ ").rstrip()
