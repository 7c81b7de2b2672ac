"""HTML for the chat tab: messages, the sources panel, notices and the conversation list.

Everything that comes from documents or a language model is escaped here, so the
browser only ever sees our own tags (no links, images or scripts from model output).
Braces and ``$`` are escaped too, so no template syntax survives in the text.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.features.chat.cited_sources import CitedSource
from assistant.features.chat.conversation_store import Conversation
from assistant.features.chat.conversations import ChatMessage
from assistant.features.chat.source_context import SourceContext
from assistant.interfaces.web.plain_text import escape_html
from ingestion.dutch_dates import dutch_moment
from knowledge.scopes import CLIENT_PREFIX, GENERAL_SCOPE

NO_QUESTION_YET = "Nog geen vraag gesteld. De bronnen van een antwoord verschijnen hier."
NO_SOURCES = "Geen bronnen: de kennisbank bevat geen passages die deze vraag beantwoorden."
WAITING = "De bronnen verschijnen zodra het antwoord klaar is."
FEEDBACK = {"up": "Like", "down": "Dislike"}  # a stored rating as the chatbot's feedback option
_SOURCE_LIST = re.compile(r"(?m)^Bronnen:\n(?:\[\d+\][^\n]*(?:\n|$))+")
# "[n]" in a generated answer; "n. „quote”" opening a line of the extractive answer's quotes
_MARKER = re.compile(r"(?m)\[(\d{1,3})\]|^(\d{1,3})\. (?=„)")

escape = escape_html  # text safe inside HTML and templates (the one plain-text path)


def without_source_list(text: str) -> str:
    """The answer without its trailing "Bronnen:" list: the sources panel shows them, once."""
    return re.sub(r"\n{3,}", "\n\n", _SOURCE_LIST.sub("", text))


def message_html(text: str, message_id: int | None = None, sources: int = 0) -> str:
    """A chat message: escaped text with its line breaks kept.

    With ``sources``, the answer's list of sources is left out (the panel shows it) and each
    ``[n]`` up to that number becomes a link that highlights source card n in the panel
    (``#antwoord-<message id>-bron-<n>``: gradio's sanitiser keeps ``href``, not ``data-*``).
    """
    if not sources:
        return escape(text.strip()).replace("\n", "<br>")
    body = escape(without_source_list(text).strip())
    answer = "" if message_id is None else str(int(message_id))

    def link(match: re.Match[str]) -> str:
        number = int(match.group(1) or match.group(2))
        if not 1 <= number <= sources:
            return match.group(0)
        space = " " if match.group(2) else ""
        return (
            f'<a class="bron-verwijzing" href="#antwoord-{answer}-bron-{number}" '
            f'title="Toon bron {number}">[{number}]</a>{space}'
        )

    return _MARKER.sub(link, body).replace("\n", "<br>")


def chat_history(messages: list[ChatMessage]) -> list[dict[str, Any]]:
    """The chatbot value for a list of messages."""
    return [
        {"role": m.role, "content": message_html(m.content, m.message_id, len(m.sources))} for m in messages
    ]


def feedback_values(messages: list[ChatMessage]) -> list[str | None]:
    """The chatbot's feedback per answer (gradio counts answers only): each stored thumbs up or down."""
    return [FEEDBACK.get(m.rating or "") for m in messages if m.role == "assistant"]


def source_html(number: int, source: CitedSource, message_id: int | None = None) -> str:
    """One cited passage: number, citation, document and page, and the quote highlighted in context."""
    page = f" · p. {source.page}" if source.page > 0 else ""
    document = "" if source.document.strip() in source.citation else source.document
    if source.marked:
        passage = f"{escape(source.before)}<mark>{escape(source.marked)}</mark>{escape(source.after)}"
    else:
        passage = f"<mark>{escape(source.quote)}</mark>"
    return (
        f'<li class="bron" id="bron-{number}">'
        f'<div class="bron-kop"><span class="bron-nummer">[{number}]</span> '
        f'<span class="bron-label">{escape(source.citation)}</span></div>'
        f'<div class="bron-document">{escape(document)}{page}</div>'
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
    page = f" · pagina {context.page}" if context.page > 0 else ""
    parts = [
        f'<div class="bron-context-kop"><strong>{escape(context.title)}</strong> · '
        f"{escape(context.citation)}</div>",
        f'<div class="bron-document">{escape(context.document)}{escape(page)}{escape(status)}</div>',
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
    answer = "" if pending or message.message_id is None else str(int(message.message_id))
    return f'<ol class="bronnenlijst" data-bericht="{answer}">{items}</ol>'


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
    """A conversation in the list: its title and when it was last active (Amsterdam time)."""
    when = dutch_moment(conversation.updated_at)
    return f"{conversation.title} · {when}" if when else conversation.title


def conversation_choices(conversations: list[Conversation]) -> list[tuple[str, str]]:
    """(label, id) pairs for the conversation list."""
    return [(conversation_label(c), str(c.id)) for c in conversations]
