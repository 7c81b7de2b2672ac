"""Generic HTML pages: visible text in blocks under the h1–h6 heading path."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from ingestion.model import TextBlock
from ingestion.text_cleaning import clean_text, push_heading

#: Elements whose content is never visible text.
DROPPED_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "head", "svg", "iframe", "object")

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div"),
        *("dl", "dt", "fieldset", "figcaption", "figure", "form", "header", "hr", "html", "li", "main"),
        *("ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def load_html(html: str) -> tuple[str, list[TextBlock]]:
    """Parse an HTML page into (title, blocks); hidden and non-content elements are dropped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. XMLParsedAsHTMLWarning for XHTML
        soup = BeautifulSoup(html, "lxml")
    title = clean_text(soup.title.get_text(" ")) if soup.title else ""
    _drop_invisible(soup)
    walker = _Walker()
    walker.walk(soup.body or soup)
    walker.flush()
    if not title:
        title = next((b.text for b in walker.blocks if b.is_heading and len(b.heading_path) == 1), "")
    return title, walker.blocks


def is_hidden(tag: Tag) -> bool:
    """Whether an element is hidden through the ``hidden`` attribute or inline CSS."""
    if tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


def _drop_invisible(root: Tag) -> None:
    """Remove non-content and hidden elements (top-down, without recursion)."""
    doomed: list[Tag] = []
    pending = [root]
    while pending:
        for child in pending.pop().children:
            if isinstance(child, Tag):
                if child.name in DROPPED_TAGS or is_hidden(child):
                    doomed.append(child)
                else:
                    pending.append(child)
    for tag in doomed:
        tag.decompose()


class _Walker:
    """Collects inline text and emits a block at every block-level boundary."""

    def __init__(self) -> None:
        self.blocks: list[TextBlock] = []
        self.path: tuple[str, ...] = ()
        self._stack: list[tuple[int, str]] = []
        self._buffer: list[str] = []

    def walk(self, root: Tag) -> None:
        """Visit the tree in document order with an explicit stack (deep nesting is no problem)."""
        stack: list[tuple[PageElement | None, bool]] = [(child, False) for child in reversed(root.contents)]
        while stack:
            node, preformatted = stack.pop()
            if node is None:  # end of a block element
                self.flush()
            elif isinstance(node, NavigableString):
                if not isinstance(node, PreformattedString):  # skips comments, CDATA, doctype
                    self._buffer.append(str(node) if preformatted else _SPACES.sub(" ", str(node)))
            elif isinstance(node, Tag):
                stack.extend(self._element(node, preformatted))

    def flush(self) -> None:
        text = clean_text("".join(self._buffer))
        self._buffer.clear()
        if text:
            self.blocks.append(TextBlock(text, self.path))

    def _element(self, tag: Tag, preformatted: bool) -> list[tuple[PageElement | None, bool]]:
        """Handle one element; return what to push on the walk stack (children in reverse order)."""
        name = tag.name
        if name in _HEADINGS:
            self.flush()
            text = clean_text(_SPACES.sub(" ", tag.get_text(" ")))
            if text:
                self.path = push_heading(self._stack, _HEADINGS[name], text)
                self.blocks.append(TextBlock(text, self.path, is_heading=True))
            return []
        if name == "br":
            self._buffer.append("\n")
            return []
        if name == "table" and _is_data_table(tag):
            self.flush()
            self._table(tag)
            return []
        preformatted = preformatted or name == "pre"
        children = [(child, preformatted) for child in reversed(tag.contents)]
        if name in _BLOCK_TAGS:
            self.flush()
            return [(None, False), *children]
        return children

    def _table(self, table: Tag) -> None:
        rows: list[str] = []
        for row in table.find_all("tr"):
            cells = [clean_text(_SPACES.sub(" ", c.get_text(" "))) for c in row.find_all(("td", "th"))]
            cells = [c for c in cells if c]
            if cells:
                rows.append(" | ".join(cells))
        for caption in table.find_all("caption"):
            rows.insert(0, clean_text(_SPACES.sub(" ", caption.get_text(" "))))
        text = "\n".join(r for r in rows if r)
        if text:
            self.blocks.append(TextBlock(text, self.path))


def _is_data_table(table: Tag) -> bool:
    """A table of data (rendered as rows) rather than a layout table holding headings or tables."""
    return table.find(("table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol")) is None
