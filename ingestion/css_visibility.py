"""CSS that hides text: the declarations of ``<style>`` rules per element, and what hides an element.

Stylesheets are parsed with tinycss2. Rules inside ``@supports`` and ``@layer`` count, and inside
``@media`` when it applies to a desktop screen (``screen``, ``all``, ``(min-width: …)``; not
``print`` or ``(max-width: …)``, where the text is still shown on a normal screen). Selectors are
matched with soupsieve, the selector engine of BeautifulSoup, so any selector it knows applies
(``div > p.x``, ``[data-x]``, ``:nth-child``); one it cannot match (``:hover``, ``::before``) is
ignored. Only rules that declare a property that can hide text are matched, so a big stylesheet
costs little. There is no specificity: matched rules apply in stylesheet order, inline style last.

An element is hidden with everything in it (:func:`hides_element`) by ``display:none``, an
opacity under 0.1, a far off-screen position, a clip or clip-path that leaves nothing,
``transform: scale(0)``, or a zero (or 1px) width or height with ``overflow:hidden``.
"""

from __future__ import annotations

import colorsys
import re

import tinycss2
from bs4 import Tag

#: Properties whose value can hide text; rules without one are not matched.
RELEVANT = frozenset(
    {
        *("display", "visibility", "opacity", "color", "background", "background-color", "font-size"),
        *("clip", "clip-path", "height", "width", "max-height", "max-width", "overflow", "overflow-x"),
        *("overflow-y", "transform", "text-indent", "left", "top", "margin-left", "margin-top", "position"),
        *("font", "line-height", "scale"),
    }
)
_GROUP_RULES = frozenset({"media", "supports", "layer", "document", "container"})
_MAX_RULES = 5000
_NOT_DESKTOP = ("print", "speech", "max-", "not ", "only print", "orientation: portrait", "hover: none")
_MAX_DEPTH = 8
_ZERO = re.compile(r"^-?(?:0+(?:\.0*)?|\.0+)(?:px|pt|em|rem|%|vw|vh|ex|ch)?$")
_TINY = re.compile(r"^(?:0*\.?\d+)(?:px)?$")
_OFFSCREEN = re.compile(r"^-\d{4,}")
_NUMBER = re.compile(r"-?[\d.]+%?")
_SCALE_ZERO = re.compile(r"scale[xyz3d]*\(\s*0*\.?0+\s*[,)]|scale\(\s*[\d.]+\s*,\s*0*\.?0+\s*\)")
_MATRIX_ZERO = re.compile(r"matrix\(\s*0*\.?0+\s*,\s*[-\d.]+\s*,\s*[-\d.]+\s*,\s*0*\.?0+\s*,")
_EMPTY_CLIP = re.compile(r"rect\(\s*(?:(?:0|0px|1px)\s*,?\s*){4}\)")
_EMPTY_CLIP_PATH = re.compile(r"inset\(\s*(?:50|[5-9]\d|100)%|circle\(\s*0|ellipse\(\s*0|polygon\(\s*\)")
#: CSS colour names as RGB (the common ones; an unknown name counts as "some colour").
NAMED_COLOURS: dict[str, tuple[int, int, int]] = {
    **dict.fromkeys(("white", "snow", "ivory", "ghostwhite", "whitesmoke", "floralwhite"), (255, 255, 255)),
    **dict.fromkeys(("mintcream", "azure", "seashell"), (250, 255, 250)),
    "black": (0, 0, 0),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "silver": (192, 192, 192),
    "navy": (0, 0, 128),
    "maroon": (128, 0, 0),
    "purple": (128, 0, 128),
    "teal": (0, 128, 128),
    "olive": (128, 128, 0),
    "lime": (0, 255, 0),
    "aqua": (0, 255, 255),
    "cyan": (0, 255, 255),
    "fuchsia": (255, 0, 255),
    "magenta": (255, 0, 255),
    "orange": (255, 165, 0),
    "darkgray": (169, 169, 169),
    "darkgrey": (169, 169, 169),
    "lightgray": (211, 211, 211),
    "lightgrey": (211, 211, 211),
}
Colour = tuple[int, int, int]


def stylesheet_declarations(root: Tag) -> dict[int, list[str]]:
    """For each element (by ``id()``) the declaration blocks of matching ``<style>`` rules, in order."""
    found: dict[int, list[str]] = {}
    rules = [rule for style in root.find_all("style") for rule in _style_rules(style.get_text())]
    for selector, declarations in rules[:_MAX_RULES]:
        try:
            matched = root.select(selector)
        except Exception:  # noqa: BLE001 - soupsieve refuses selectors it cannot match (:hover, ::before)
            continue
        for tag in matched:
            found.setdefault(id(tag), []).append(declarations)
    return found


def hides_element(style: str) -> bool:
    """Whether the declarations in ``style`` (later ones win) hide an element and all it holds."""
    values = declared(style)
    if values.get("display") == "none":
        return True
    if _opacity(values.get("opacity", "1")) < 0.1:
        return True
    if any(_OFFSCREEN.match(values.get(name, "")) for name in ("text-indent", "left", "top", "margin-left")):
        return True
    if _EMPTY_CLIP.search(values.get("clip", "")) or _EMPTY_CLIP_PATH.search(values.get("clip-path", "")):
        return True
    transform = values.get("transform", "") + " " + values.get("scale", "")
    if _SCALE_ZERO.search(transform) or _MATRIX_ZERO.search(transform) or values.get("scale") == "0":
        return True
    clipped = any(values.get(name) in ("hidden", "clip") for name in ("overflow", "overflow-x", "overflow-y"))
    sizes = [values.get(name, "") for name in ("height", "width", "max-height", "max-width")]
    return clipped and any(_ZERO.match(size) or (_TINY.match(size) and _pixels(size) <= 1) for size in sizes)


def declared(style: str) -> dict[str, str]:
    """The properties of a declaration list, lower-cased, ``!important`` dropped; later ones win."""
    values: dict[str, str] = {}
    for declaration in style.split(";"):
        name, separator, value = declaration.partition(":")
        if separator:
            values[name.strip().lower()] = " ".join(value.lower().replace("!important", "").split())
    return values


def parse_colour(value: str) -> Colour | str | None:
    """A colour as RGB, "transparent", "other" (a colour this module cannot read), or None (no colour)."""
    value = value.strip().lower()
    if value in ("inherit", "initial", "unset", "currentcolor", "revert", "none", ""):
        return None
    if value == "transparent":
        return "transparent"
    if value in NAMED_COLOURS:
        return NAMED_COLOURS[value]
    if value.startswith("#"):
        return _hex(value[1:])
    if value.startswith(("rgb", "hsl")):
        numbers = _NUMBER.findall(value)
        if len(numbers) >= 4 and _channel(numbers[3], 1.0) < 0.1:
            return "transparent"
        if len(numbers) < 3:
            return "other"
        if value.startswith("hsl"):
            hue = _channel(numbers[0].rstrip("%"), 360.0) / 360.0
            light, saturation = _channel(numbers[2], 100.0) / 100, _channel(numbers[1], 100.0) / 100
            red, green, blue = colorsys.hls_to_rgb(hue, min(max(light, 0), 1), min(max(saturation, 0), 1))
            return round(red * 255), round(green * 255), round(blue * 255)
        red, green, blue = (round(_channel(number, 255.0)) for number in numbers[:3])
        return red, green, blue
    return "other"


def _style_rules(css: str) -> list[tuple[str, str]]:
    """(selector list, declarations) of every qualified rule that declares a relevant property."""
    found: list[tuple[str, str]] = []
    pending = [(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), 0)]
    while pending and len(found) < _MAX_RULES:
        nodes, depth = pending.pop(0)
        for node in nodes:
            if node.type == "at-rule" and node.lower_at_keyword in _GROUP_RULES and node.content is not None:
                if depth < _MAX_DEPTH and _on_desktop(node):
                    pending.append((tinycss2.parse_rule_list(node.content, True, True), depth + 1))
            elif node.type == "qualified-rule":
                declarations = tinycss2.serialize(node.content)
                if any(name in RELEVANT for name in declared(declarations)):
                    found.append((tinycss2.serialize(node.prelude).strip(), declarations))
    return found


def _on_desktop(rule: tinycss2.ast.AtRule) -> bool:
    """Whether an ``@media`` block applies to a desktop screen (not print, not only small screens)."""
    if rule.lower_at_keyword != "media":
        return True
    query = tinycss2.serialize(rule.prelude).lower()
    return not any(word in query for word in _NOT_DESKTOP)


def _opacity(value: str) -> float:
    number = value.strip()
    try:
        return float(number[:-1]) / 100 if number.endswith("%") else float(number)
    except ValueError:
        return 1.0


def _pixels(size: str) -> float:
    try:
        return float(size.removesuffix("px"))
    except ValueError:
        return 2.0


def _hex(digits: str) -> Colour | str:
    if len(digits) in (3, 4):
        digits = "".join(char * 2 for char in digits)
    try:
        channels = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
    except ValueError:
        return "other"
    if len(channels) == 4 and channels[3] < 26:
        return "transparent"
    if len(channels) < 3:
        return "other"
    return channels[0], channels[1], channels[2]


def _channel(number: str, scale: float) -> float:
    """A CSS number or percentage on the scale of its channel (255, 100 or 1)."""
    try:
        return float(number[:-1]) * scale / 100 if number.endswith("%") else float(number)
    except ValueError:
        return scale
