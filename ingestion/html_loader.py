"""Generic HTML pages: visible text in blocks under the h1–h6 heading path.

Text a reader cannot see never reaches the knowledge base (it is where hidden instructions
and keyword stuffing live): non-content elements, the ``hidden`` attribute, a closed
``<dialog>``, and CSS, inline or in ``<style>`` rules with any selector, also inside ``@media``
(:mod:`ingestion.css_visibility`): ``display:none``, near-zero opacity, a far off-screen position,
an empty clip, ``scale(0)`` or a zero size with ``overflow:hidden`` hide the element; ``visibility:
hidden``, ``font-size:0``, transparent text or text in (nearly) the colour of its background (white
on white, black on black) hide its text, unless a descendant undoes it, as CSS inheritance does.
Nothing is fetched: bs4/lxml only parse the string.
"""

from __future__ import annotations

import re
import warnings
from typing import NamedTuple

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement, PreformattedString

from ingestion.css_visibility import Colour, hides_element, parse_colour, stylesheet_declarations
from ingestion.model import TextBlock
from ingestion.text_cleaning import clean_text, push_heading, reflow

#: Elements whose content is never visible text.
DROPPED_TAGS = (
    *("script", "style", "noscript", "template", "nav", "footer", "head", "svg", "iframe", "object"),
    *("embed", "frameset", "frame", "canvas", "audio", "video", "textarea", "select", "datalist"),
)

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div"),
        *("dl", "dt", "fieldset", "figcaption", "figure", "form", "header", "hr", "html", "li", "main"),
        *("ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
_ZERO_SIZE = re.compile(r"(?:0+(?:\.0*)?|\.0+)(?:px|pt|em|rem|%|vw|vh|ex|ch)?")
_SPACES = re.compile(r"\s+")
_INLINE_SPACES = re.compile(r"[^\S\n]+")
_BACKGROUND_WORDS = frozenset(
    {*("no-repeat", "repeat", "repeat-x", "repeat-y", "fixed", "scroll", "local", "center", "top"), "bottom"}
    | {*("left", "right", "cover", "contain", "auto", "border-box", "padding-box", "content-box")}
)
_COLOUR_TOKEN = re.compile(r"#[0-9a-f]{3,8}\b|(?:rgba?|hsla?)\([^)]{0,80}\)|[a-z-]+", re.IGNORECASE)
_MIN_CONTRAST = 48  # RGB distance under which text and background look the same
_WHITE: Colour = (255, 255, 255)
_BLACK: Colour = (0, 0, 0)
Rules = dict[int, list[str]]


def load_html(html: str) -> tuple[str, list[TextBlock]]:
    """Parse an HTML page into (title, blocks); hidden and non-content elements are dropped."""
    soup = _soup(html)
    title = clean_text(soup.title.get_text(" ")) if soup.title else ""
    walker = _visible_walk(soup, markdown=False)
    if not title:
        title = next((b.text for b in walker.blocks if b.is_heading and len(b.heading_path) == 1), "")
    return title, walker.blocks


def load_rendered_markdown(html: str) -> tuple[str, list[TextBlock]]:
    """Blocks of HTML rendered from Markdown, filtered like any HTML, with Markdown's shape kept:
    list items as "- " lines of one block, hard-wrapped lines joined; the title is the first h1."""
    walker = _visible_walk(_soup(html), markdown=True)
    return walker.first_h1, walker.blocks


def _soup(html: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. XMLParsedAsHTMLWarning for XHTML
        return BeautifulSoup(html, "lxml")


def _visible_walk(soup: BeautifulSoup, markdown: bool) -> _Walker:
    _drop_invisible(soup)
    walker = _Walker(markdown)
    walker.walk(soup.body or soup)
    walker.flush()
    return walker


def is_hidden(tag: Tag, rules: Rules | None = None) -> bool:
    """Whether an element is hidden through an attribute or CSS (inline, or matched ``<style>`` rules)."""
    if tag.has_attr("hidden") or (tag.name == "dialog" and not tag.has_attr("open")):
        return True
    return hides_element(_style(tag, rules or {}))


class _Look(NamedTuple):
    """What the text inside an element looks like (inherited, and overridable by descendants)."""

    colour: Colour | str = _BLACK  # RGB, "transparent" or "other" (a colour that cannot be read)
    background: Colour | str = _WHITE  # a page without a background is white; "other" for an image
    zero_size: bool = False  # font-size: 0
    invisible: bool = False  # visibility: hidden

    def unreadable(self) -> bool:
        """Whether text with this look cannot be seen."""
        if self.zero_size or self.invisible or self.colour == "transparent":
            return True
        colour, background = self.colour, self.background
        if isinstance(colour, str) or isinstance(background, str):
            return False
        return sum((a - b) ** 2 for a, b in zip(colour, background, strict=True)) < _MIN_CONTRAST**2


def _drop_invisible(root: Tag) -> None:
    """Remove non-content and hidden elements and unreadable text (top-down, without recursion)."""
    rules = stylesheet_declarations(root)
    doomed: list[PageElement] = []
    pending: list[tuple[Tag, _Look]] = [(root, _Look())]
    while pending:
        parent, look = pending.pop()
        for child in parent.children:
            if isinstance(child, Tag):
                if child.name in DROPPED_TAGS or is_hidden(child, rules):
                    doomed.append(child)
                else:
                    pending.append((child, _look(child, rules, look)))
            elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                doomed.extend([child] if look.unreadable() else [])
    for element in doomed:
        element.extract()


def _style(tag: Tag, rules: Rules) -> str:
    """Matched stylesheet rules in order, then the inline style (which wins, coming last)."""
    inline = tag.get("style")
    return ";".join([*rules.get(id(tag), []), inline if isinstance(inline, str) else ""])


def _look(tag: Tag, rules: Rules, look: _Look) -> _Look:
    """The look of the text inside ``tag``, given the look around it; later declarations win."""
    declared: list[tuple[str, str]] = []
    for name in ("color", "text", "bgcolor"):  # <font color>, <body text bgcolor>
        value = tag.get(name)
        if isinstance(value, str) and (name != "text" or tag.name == "body"):
            declared.append(("background-color" if name == "bgcolor" else "color", value))
    for declaration in _style(tag, rules).split(";"):
        name, separator, value = declaration.partition(":")
        if separator:
            declared.append((name.strip().lower(), value.lower().replace("!important", "").strip()))
    for name, value in declared:
        if name == "color":
            colour = parse_colour(value)
            look = look._replace(colour=colour if colour is not None else look.colour)
        elif name in ("background", "background-color"):
            kind = _background_kind(value, shorthand=name == "background")
            look = look._replace(background=kind if kind is not None else look.background)
        elif name == "font-size" and value not in ("inherit", "initial", "unset", "revert", ""):
            look = look._replace(zero_size=bool(_ZERO_SIZE.fullmatch(value)))
        elif name == "visibility" and value in ("hidden", "collapse", "visible"):
            look = look._replace(invisible=value != "visible")
    return look


def _background_kind(value: str, shorthand: bool = False) -> Colour | str | None:
    """Colour of a background; an image counts as "other" (text on it may be readable)."""
    if "url(" in value or "gradient" in value:
        return "other"
    for token in _COLOUR_TOKEN.findall(value) if shorthand else [value]:
        if token.lower() in _BACKGROUND_WORDS:
            continue
        colour = parse_colour(token)
        if colour is not None:
            return None if colour == "transparent" else colour  # a transparent background shows the parent's
    return None


class _Walker:
    """Collects inline text and emits a block at every block-level boundary."""

    def __init__(self, markdown: bool = False) -> None:
        self.blocks: list[TextBlock] = []
        self.path: tuple[str, ...] = ()
        self.first_h1 = ""
        self._stack: list[tuple[int, str]] = []
        self._buffer: list[str] = []
        self._markdown = markdown  # keep line breaks and list markers, reflow wrapped lines
        self._preformatted = False  # the buffer holds <pre> text (never reflowed)

    def walk(self, root: Tag) -> None:
        """Visit the tree in document order with an explicit stack (deep nesting is no problem)."""
        stack: list[tuple[PageElement | None, bool]] = [(child, False) for child in reversed(root.contents)]
        while stack:
            node, preformatted = stack.pop()
            if node is None:  # end of a block element
                self.flush()
            elif isinstance(node, NavigableString):
                if not isinstance(node, PreformattedString):  # skips comments, CDATA, doctype
                    self._preformatted = self._preformatted or preformatted
                    spaces = _INLINE_SPACES if self._markdown else _SPACES
                    self._buffer.append(str(node) if preformatted else spaces.sub(" ", str(node)))
            elif isinstance(node, Tag):
                stack.extend(self._element(node, preformatted))

    def flush(self) -> None:
        text = clean_text("".join(self._buffer))
        if self._markdown and not self._preformatted:
            text = reflow(text)
        self._buffer.clear()
        self._preformatted = False
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
                if name == "h1" and not self.first_h1:
                    self.first_h1 = text
            return []
        if name == "br":
            self._buffer.append("\n")
            return []
        if name == "table" and _is_data_table(tag):
            self.flush()
            self._table(tag)
            return []
        preformatted = preformatted or name == "pre"
        if self._markdown and name in ("ul", "ol"):
            self.flush()
            return [(None, False), *self._list_items(tag, preformatted)]
        children: list[tuple[PageElement | None, bool]] = [
            (child, preformatted) for child in reversed(tag.contents)
        ]
        if name in _BLOCK_TAGS:
            self.flush()
            return [(None, False), *children]
        return children

    def _list_items(self, tag: Tag, preformatted: bool) -> list[tuple[PageElement | None, bool]]:
        """A Markdown list as lines of one block: "- " or "1. " before each item's text."""
        items: list[tuple[PageElement | None, bool]] = []
        start = tag.get("start")
        number = int(start) if isinstance(start, str) and start.isdigit() else 1
        for child in tag.contents:
            if isinstance(child, Tag) and child.name == "li":
                marker = f"{number}. " if tag.name == "ol" else "- "
                number += 1
                items.append((NavigableString(f"\n{marker}"), False))
                for grandchild in child.contents:  # a loose list wraps item text in <p>
                    loose = isinstance(grandchild, Tag) and grandchild.name == "p"
                    parts = grandchild.contents if isinstance(grandchild, Tag) and loose else [grandchild]
                    items.extend((part, preformatted) for part in parts)
            else:
                items.append((child, preformatted))
        return list(reversed(items))

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
