"""One rendering path for stored and imported text: shown as text, never interpreted.

Everything the web UI shows that came from a user, a document, an imported file or a
language model passes through one of these functions, so no text can become an image, a
link, a script or a style in the browser (a planted ``![x](http://…)`` or ``<img src=…>``
would make the browser fetch a URL: data leaving this machine).

* :func:`escape_html` — text inside our own HTML (``gr.HTML``, chat messages, toasts).
* :func:`literal_markdown` — a piece of text inside Markdown we compose: HTML escaped,
  Markdown's markers backslashed, URLs broken so nothing autolinks.
* :func:`fence_markdown` — a whole Markdown value as the last step before the browser
  (:class:`assistant.interfaces.web.safe_components.SafeMarkdown` applies it to every value):
  our own formatting (headings, bold, lists, tables) stays, but raw HTML, images, links and
  autolinks are neutralised, whoever composed the text.

No gradio here: the functions are plain and tested without a browser.
"""

from __future__ import annotations

import html
import re

_TEMPLATE = str.maketrans({"{": "&#123;", "}": "&#125;", "$": "&#36;", "`": "&#96;"})
_MARKDOWN_MARKERS = re.compile(r"([\\`*_\[\]#|<>~])")
_URL_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)")
_WWW = re.compile(r"(?i)\bwww\.")
_RAW_TAG = re.compile(r"<(?!br\s*/?>)")


def escape_html(text: str) -> str:
    """Text safe inside HTML attributes and content, with no template syntax left."""
    return html.escape(text, quote=True).translate(_TEMPLATE)


def _break_urls(text: str) -> str:
    """``http://x`` and ``www.x`` kept readable but no longer recognised as links."""
    text = _URL_SCHEME.sub(lambda m: f"{m.group(1)}&#58;", text)
    return _WWW.sub(lambda m: m.group(0)[:3] + "&#46;", text)


def literal_markdown(text: str) -> str:
    """Text shown literally inside Markdown: no HTML, no Markdown markup, no links."""
    escaped = _MARKDOWN_MARKERS.sub(r"\\\1", html.escape(text, quote=False))
    return _break_urls(escaped)


def fence_markdown(markdown: str) -> str:
    """A Markdown value with its formatting kept but no HTML, images, links or autolinks left.

    ``<br>`` (used for line breaks in table cells) is the one tag that stays; every other ``<``
    becomes ``&lt;``. ``![``, ``](`` and ``][`` lose their meaning (an escaped bracket is plain
    text), reference definitions (``[x]: url``) too.
    """
    text = _RAW_TAG.sub("&lt;", markdown)
    text = text.replace("![", "!\\[").replace("](", "]\\(").replace("][", "]\\[")
    text = re.sub(r"(?m)^(\s*)\[([^\]\n]*)\]:", r"\1\\[\2\\]:", text)
    return _break_urls(text)
