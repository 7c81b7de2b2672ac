"""Generic HTML pages: visible text in blocks under the h1–h6 heading path.

Text a reader cannot see never reaches the knowledge base (it is where hidden instructions
and keyword stuffing live): non-content elements, the ``hidden`` attribute, a closed
``<dialog>``, and inline or simple top-level class/id CSS rules (``.x {...}``, ``p.x``,
``#y``; rules inside ``@media`` are ignored) with ``display:none`` or ``opacity:0`` or a far
off-screen position (the element goes), or ``visibility:hidden``, ``font-size:0``, transparent
text, or white text on a white (or unset) background (its text goes, unless a descendant
undoes it, as CSS inheritance does). Nothing is fetched: bs4/lxml only parse the string.
"""

from __future__ import annotations

import re
import string
import warnings
from typing import NamedTuple

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement, PreformattedString

from ingestion.model import TextBlock
from ingestion.text_cleaning import clean_text, push_heading

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
#: Hides an element with everything in it (no descendant can undo it).
_HIDDEN_STYLE = re.compile(
    r"(?<![\w-])(?:display\s*:\s*none|opacity\s*:\s*(?:0+(?:\.0*)?|\.0+)%?\s*(?:!important\s*)?(?:;|$)"
    r"|(?:text-indent|left|top|margin-left)\s*:\s*-\d{4,})",
    re.IGNORECASE,
)
_ZERO_SIZE = re.compile(r"(?:0+(?:\.0*)?|\.0+)(?:px|pt|em|rem|%|vw|vh|ex|ch)?")
_SPACES = re.compile(r"\s+")
_LIGHT_NAMES = frozenset(
    {*("white", "snow", "ivory", "ghostwhite", "whitesmoke", "floralwhite", "mintcream", "azure"), "seashell"}
)
_NO_COLOUR = frozenset({"inherit", "initial", "unset", "currentcolor", "revert", "none", ""})
_BACKGROUND_WORDS = frozenset(
    {*("no-repeat", "repeat", "repeat-x", "repeat-y", "fixed", "scroll", "local", "center", "top"), "bottom"}
    | {*("left", "right", "cover", "contain", "auto", "border-box", "padding-box", "content-box")}
)
_COLOUR_TOKEN = re.compile(r"#[0-9a-f]{3,8}\b|(?:rgba?|hsla?)\([^)]{0,80}\)|[a-z-]+", re.IGNORECASE)
_NUMBER = re.compile(r"[\d.]+%?")
_BRACE = re.compile(r"[{}]")
_SIMPLE_SELECTOR = re.compile(r"[a-zA-Z0-9]*[.#][\w-]+")
_LIGHT_LEVEL = 240  # every channel at least this: white to the eye


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


def is_hidden(tag: Tag, rules: dict[str, str] | None = None) -> bool:
    """Whether an element is hidden through an attribute or CSS (inline, or ``rules`` by class/id)."""
    if tag.has_attr("hidden") or (tag.name == "dialog" and not tag.has_attr("open")):
        return True
    return bool(_HIDDEN_STYLE.search(_style(tag, rules or {})))


class _Look(NamedTuple):
    """What the text inside an element looks like (inherited, and overridable by descendants)."""

    colour: str = "other"  # "light", "transparent" or "other"
    background: str = "light"  # a page without a background is white
    zero_size: bool = False  # font-size: 0
    invisible: bool = False  # visibility: hidden

    def unreadable(self) -> bool:
        """Whether text with this look cannot be seen."""
        light_on_light = self.colour == "light" and self.background == "light"
        return self.zero_size or self.invisible or self.colour == "transparent" or light_on_light


def _drop_invisible(root: Tag) -> None:
    """Remove non-content and hidden elements and unreadable text (top-down, without recursion)."""
    rules = _css_rules(root)
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


def _css_rules(root: Tag) -> dict[str, str]:
    """Declarations of top-level ``.class``/``tag.class``/``#id`` rules in <style> (not @media)."""
    rules: dict[str, str] = {}
    for style in root.find_all("style"):
        css = _without_comments(style.get_text())
        depth, prelude_start, body_start = 0, 0, 0
        for brace in _BRACE.finditer(css):
            if brace.group() == "{":
                if depth == 0:
                    body_start = brace.end()
                depth += 1
                continue
            depth = max(depth - 1, 0)
            if depth == 0:
                prelude = css[prelude_start : body_start - 1].rsplit(";", 1)[-1]  # after @import ...;
                for selector in prelude.split(","):
                    if _SIMPLE_SELECTOR.fullmatch(selector.strip()):
                        key = selector.strip().lstrip(string.ascii_letters + string.digits)
                        rules[key] = f"{rules.get(key, '')};{css[body_start : brace.start()]}"
                prelude_start = brace.end()
    return rules


def _without_comments(css: str) -> str:
    parts: list[str] = []
    position = 0
    while (start := css.find("/*", position)) != -1:
        parts.append(css[position:start])
        end = css.find("*/", start + 2)
        if end == -1:
            return "".join(parts)
        position = end + 2
    parts.append(css[position:])
    return "".join(parts)


def _style(tag: Tag, rules: dict[str, str]) -> str:
    """Class and id rules, then the inline style (which wins, coming last)."""
    classes: str | list[str] = tag.get("class") or []
    keys = [f".{name}" for name in (classes if isinstance(classes, list) else str(classes).split())]
    element_id = tag.get("id")
    if isinstance(element_id, str):
        keys.append(f"#{element_id}")
    inline = tag.get("style")
    return ";".join(
        [*(rules[key] for key in keys if key in rules), inline if isinstance(inline, str) else ""]
    )


def _look(tag: Tag, rules: dict[str, str], look: _Look) -> _Look:
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
            look = look._replace(colour=_colour_kind(value) or look.colour)
        elif name in ("background", "background-color"):
            kind = _background_kind(value, shorthand=name == "background")
            look = look._replace(background=kind or look.background)
        elif name == "font-size" and value not in _NO_COLOUR:
            look = look._replace(zero_size=bool(_ZERO_SIZE.fullmatch(value)))
        elif name == "visibility" and value in ("hidden", "collapse", "visible"):
            look = look._replace(invisible=value != "visible")
    return look


def _background_kind(value: str, shorthand: bool = False) -> str | None:
    """Kind of a background: an image counts as "other" (text on it may be readable)."""
    if "url(" in value or "gradient" in value:
        return "other"
    for token in _COLOUR_TOKEN.findall(value) if shorthand else [value]:
        if token.lower() in _BACKGROUND_WORDS:
            continue
        kind = _colour_kind(token)
        if kind is not None:
            return None if kind == "transparent" else kind  # a transparent background shows the parent's
    return None


def _colour_kind(value: str) -> str | None:
    """ "light", "transparent", "other", or None when ``value`` sets no colour."""
    value = value.strip().lower()
    if value in _NO_COLOUR:
        return None
    if value == "transparent":
        return "transparent"
    if value in _LIGHT_NAMES:
        return "light"
    if value.startswith("#"):
        return _hex_kind(value[1:])
    if value.startswith(("rgb", "hsl")):
        numbers = _NUMBER.findall(value)
        if len(numbers) == 4 and _channel(numbers[3], 1.0) == 0:
            return "transparent"
        if value.startswith("hsl"):
            return "light" if len(numbers) >= 3 and _channel(numbers[2], 100.0) >= 94 else "other"
        channels = [_channel(number, 255.0) for number in numbers[:3]]
        return "light" if len(channels) == 3 and min(channels) >= _LIGHT_LEVEL else "other"
    return "other"


def _hex_kind(digits: str) -> str:
    if len(digits) in (3, 4):
        digits = "".join(char * 2 for char in digits)
    try:
        channels = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
    except ValueError:
        return "other"
    if len(channels) == 4 and channels[3] == 0:
        return "transparent"
    return "light" if len(channels) >= 3 and min(channels[:3]) >= _LIGHT_LEVEL else "other"


def _channel(number: str, scale: float) -> float:
    """A CSS number or percentage on the scale of its channel (255, 100 or 1)."""
    try:
        return float(number[:-1]) * scale / 100 if number.endswith("%") else float(number)
    except ValueError:
        return scale


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
        children: list[tuple[PageElement | None, bool]] = [
            (child, preformatted) for child in reversed(tag.contents)
        ]
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
