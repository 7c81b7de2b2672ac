"""Gradio pieces that show text through :mod:`assistant.interfaces.web.plain_text` only.

* :func:`safe_markdown` — a ``gr.Markdown`` whose every value (initial or returned by a
  handler) is fenced: formatting stays, HTML, images and links do not.
* :func:`warn` and :func:`inform` — toasts with Dutch titles whose message is escaped text.

Tabs use these instead of ``gr.Markdown``, ``gr.Warning`` and ``gr.Info``.
"""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from assistant.interfaces.web.plain_text import fence_markdown

WARNING_TITLE = "Let op"
INFO_TITLE = "Melding"


def safe_markdown(value: str = "", **kwargs: Any) -> gr.Markdown:
    """A ``gr.Markdown`` with no HTML, images or links, whatever text it is given or returns.

    The component's own ``postprocess`` is wrapped on the instance (a subclass would make
    gradio write a ``.pyi`` stub next to this module).
    """
    component = gr.Markdown(fence_markdown(value), **kwargs)
    original = component.postprocess

    def postprocess(value: Any) -> Any:
        return original(fence_markdown(value) if isinstance(value, str) else value)

    component.postprocess = postprocess  # type: ignore[method-assign]
    return component


# Gradio's toast shows its type in English ("Warning", "Info") whatever the title; this page script
# (``js`` of the mount options) names them in Dutch as soon as a toast appears.
TOAST_TITLES_JS = (
    "() => { const names = {Warning: 'Let op', Info: 'Melding', Error: 'Fout', Success: 'Gelukt'};"
    " const rename = () => document.querySelectorAll('.toast-title').forEach((title) => {"
    " const text = title.firstChild; if (!text || text.nodeType !== 3) return;"
    " const name = names[text.textContent.trim()]; if (name) { text.textContent = name + ' '; } });"
    " new MutationObserver(rename).observe(document.body,"
    " {childList: true, subtree: true, characterData: true}); }"
)


def toast_text(message: str) -> str:
    """A toast's message as text: gradio renders it as HTML, so ``&``, ``<`` and ``>`` are escaped."""
    return html.escape(message, quote=False)


def warn(message: str) -> None:
    """A warning toast ("Let op") showing ``message`` as text."""
    gr.Warning(toast_text(message), title=WARNING_TITLE)


def inform(message: str) -> None:
    """An information toast ("Melding") showing ``message`` as text."""
    gr.Info(toast_text(message), title=INFO_TITLE)
