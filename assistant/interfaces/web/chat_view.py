"""HTML for the chat tab: messages, the sources panel, notices and the conversation list.

Everything that comes from documents or a language model is escaped here, so the
browser only ever sees our own tags (no links, images or scripts from model output).
Braces and ``$`` are escaped too, so no template syntax survives in the text.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from assistant.features.chat.cited_sources import CitedSource
from assistant.features.chat.conversation_store import Conversation
from assistant.features.chat.conversations import ChatMessage
from assistant.features.chat.source_context import SourceContext
from knowledge.scopes import CLIENT_PREFIX, GENERAL_SCOPE

NO_QUESTION_YET = "Nog geen vraag gesteld. De bronnen van een antwoord verschijnen hier."
NO_SOURCES = "Geen bronnen: de kennisbank bevat geen passages die deze vraag beantwoorden."
WAITING = "De bronnen verschijnen zodra het antwoord klaar is."
_EXTRA = str.maketrans({"{": "&#123;", "}": "&#125;", "$": "&#36;", "`": "&#96;"})


def escape(text: str) -> str:
    """Text safe inside HTML and templates."""
    return html.escape(text, quote=True).translate(_EXTRA)


def message_html(text: str) -> str:
    """A chat message: escaped text with its line breaks kept."""
    return escape(text.strip()).replace("\n", "<br>")


def chat_history(messages: list[ChatMessage]) -> list[dict[str, Any]]:
    """The chatbot value for a list of messages."""
    return [{"role": m.role, "content": message_html(m.content)} for m in messages]


def source_html(number: int, source: CitedSource, message_id: int | None = None) -> str:
    """One cited passage: number, citation, document and page, and the quote highlighted in context."""
    page = f" · p. {source.page}" if source.page > 0 else ""
    if source.marked:
        passage = f"{escape(source.before)}<mark>{escape(source.marked)}</mark>{escape(source.after)}"
    else:
        passage = f"<mark>{escape(source.quote)}</mark>"
    return (
        f'<li class="bron" id="bron-{number}">'
        f'<div class="bron-kop"><span class="bron-nummer">[{number}]</span> '
        f'<span class="bron-label">{escape(source.citation)}</span></div>'
        f'<div class="bron-document">{escape(source.document)}{page}</div>'
        f'<blockquote class="bron-passage">{passage}</blockquote>{open_button(number, message_id)}</li>'
    )


def open_button(number: int, message_id: int | None) -> str:
    """The button that opens a stored answer's source in its context (none while it streams)."""
    if message_id is None:
        return ""
    return (
        f'<button type="button" class="bron-openen" data-bericht="{int(message_id)}" '
        f'data-bron="{int(number)}">Bekijk in context</button>'
    )


def context_html(context: SourceContext) -> str:
    """A source in its context, read-only: every text escaped, the cited passage and quote marked."""
    status = "" if context.current else f" (versie {context.version}, niet meer de actuele versie)"
    parts = [
        f'<div class="bron-context-kop"><strong>{escape(context.title)}</strong> · '
        f"{escape(context.citation)}</div>",
        f'<div class="bron-document">{escape(context.document)}{escape(status)}</div>',
    ]
    for passage in context.passages:
        text = escape(passage.text)
        quote = escape(context.quote)
        if passage.cited and quote and quote in text:
            text = text.replace(quote, f"<mark>{quote}</mark>", 1)
        css = "context-passage geciteerd" if passage.cited else "context-passage"
        parts.append(f'<p class="{css}">{text.replace(chr(10), "<br>")}</p>')
    return f'<div class="bron-context" role="document">{"".join(parts)}</div>'


def sources_html(message: ChatMessage | None, pending: bool = False) -> str:
    """The sources panel for an answer (None: nothing asked yet)."""
    if message is None:
        return f'<p class="bronnen-leeg">{NO_QUESTION_YET}</p>'
    if not message.sources:
        return f'<p class="bronnen-leeg">{WAITING if pending else NO_SOURCES}</p>'
    items = "".join(
        source_html(n, s, None if pending else message.message_id)
        for n, s in enumerate(message.sources, start=1)
    )
    return f'<ol class="bronnenlijst">{items}</ol>'


def notices_html(notices: list[str]) -> str:
    """The notice area: one line per notice, empty when there are none."""
    if not notices:
        return ""
    lines = "".join(f'<p class="melding">{escape(n)}</p>' for n in notices)
    return f'<div class="meldingen" role="status">{lines}</div>'


def error_html(text: str) -> str:
    """The notice area showing an error."""
    return f'<div class="meldingen fout" role="alert"><p class="melding">{escape(text)}</p></div>'


def scope_label(scope: str) -> str:
    """How a scope is named in the selector."""
    if scope == GENERAL_SCOPE:
        return "Algemeen (AVG en richtlijnen)"
    if scope.startswith(CLIENT_PREFIX):
        return f"Klant: {scope[len(CLIENT_PREFIX) :]} (met algemeen)"
    return scope


def scope_choices(scopes: list[str]) -> list[tuple[str, str]]:
    """(label, value) pairs for the scope selector."""
    return [(scope_label(s), s) for s in scopes]


def conversation_label(conversation: Conversation) -> str:
    """A conversation in the list: its title and when it was last active (local time)."""
    try:
        when = datetime.fromisoformat(conversation.updated_at).astimezone().strftime("%d-%m %H:%M")
    except ValueError:
        when = ""
    return f"{conversation.title} · {when}" if when else conversation.title


def conversation_choices(conversations: list[Conversation]) -> list[tuple[str, str]]:
    """(label, id) pairs for the conversation list."""
    return [(conversation_label(c), str(c.id)) for c in conversations]
