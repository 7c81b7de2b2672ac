"""What text may cost to embed: a cap per word, per chunk, per document and per question.

The embedder's cost grows with the number of tokens, and a "word" without spaces or binary
junk read as text splits into a token per one or two characters (about 1 s per KB). So, before
anything reaches the embedder:

* a document that is mostly not language (long unbroken strings with little ordinary text
  besides, binary-looking symbols) is refused with a Dutch reason (:func:`language_problem`);
* a single word longer than :data:`MAX_WORD_CHARS` is cut there, marked with "…"
  (:func:`cap_long_words`), so a base64 blob or a long hash in an otherwise good document costs
  almost nothing;
* a chunk holds at most :data:`MAX_CHUNK_CHARS` characters (:mod:`ingestion.document_chunker`);
* a document yields at most :data:`MAX_DOCUMENT_CHARS` characters of text;
* a question is at most :data:`MAX_QUESTION_CHARS` characters and has no word over
  :data:`MAX_WORD_CHARS` (:func:`question_problem`), so one user's question cannot hold up the others.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest word kept whole (long URLs and compound words fit; hashes and base64 do not).
MAX_WORD_CHARS = 64
#: Characters per chunk: a few windows of the embedder even for unusual text (220 Dutch words: ~1500).
MAX_CHUNK_CHARS = 4000
#: Characters of text one document may yield (about 2000 pages of dense text).
MAX_DOCUMENT_CHARS = 4_000_000
#: Characters of one question.
MAX_QUESTION_CHARS = 2000

_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")
_MIN_JUDGED_CHARS = 200  # shorter text is too little to judge
_MAX_LONG_SHARE = 0.3  # share of characters in over-long words ...
_MIN_REAL_TEXT = 2000  # ... when there are fewer characters than this in ordinary words
_MAX_SYMBOL_SHARE = 0.05  # share of odd symbols (binary junk decoded as text has about 15%)
_COMMON_SYMBOLS = frozenset("|+=<>€$£%°§©®™~^`'\"")


def cap_long_words(text: str) -> str:
    """Cut every word longer than :data:`MAX_WORD_CHARS` there, marked with "…"."""
    return _LONG_WORD.sub(lambda match: match.group()[:MAX_WORD_CHARS] + "…", text)


def language_problem(text: str) -> str | None:
    """A Dutch reason when ``text`` is mostly not language, else None."""
    letters = sum(1 for char in text if not char.isspace())
    if letters < _MIN_JUDGED_CHARS:
        return None
    long_chars = sum(len(match.group()) for match in _LONG_WORD.finditer(text))
    if long_chars > _MAX_LONG_SHARE * letters and letters - long_chars < _MIN_REAL_TEXT:
        return (
            "Het bestand bestaat grotendeels uit lange reeksen tekens zonder spaties "
            f"(langer dan {MAX_WORD_CHARS} tekens): dat is geen leesbare tekst; niet ingelezen."
        )
    symbols = sum(1 for char in text if _is_odd(char))
    if symbols > _MAX_SYMBOL_SHARE * letters:
        return (
            "Het bestand lijkt geen tekst maar binaire gegevens (veel vreemde tekens); niet ingelezen. "
            "Controleer of het bestand de juiste extensie heeft."
        )
    return None


def document_size_problem(chars: int) -> str | None:
    """A Dutch reason when a document's text is over :data:`MAX_DOCUMENT_CHARS`, else None."""
    if chars <= MAX_DOCUMENT_CHARS:
        return None
    return (
        f"Het bestand bevat te veel tekst (meer dan {MAX_DOCUMENT_CHARS:,} tekens).".replace(",", ".")
        + " Splits het op in kleinere bestanden en probeer opnieuw."
    )


def question_problem(question: str) -> str | None:
    """A Dutch reason when a question would cost too much to search, else None."""
    if len(question) > MAX_QUESTION_CHARS:
        return (
            f"De vraag is te lang ({len(question)} tekens; hoogstens {MAX_QUESTION_CHARS}). "
            "Stel een kortere vraag."
        )
    if _LONG_WORD.search(question):
        return (
            f"De vraag bevat een reeks van meer dan {MAX_WORD_CHARS} tekens zonder spatie; "
            "dat is geen leesbare vraag. Stel de vraag in gewone woorden."
        )
    return None


def _is_odd(char: str) -> bool:
    category = unicodedata.category(char)
    return (category[0] == "S" and char not in _COMMON_SYMBOLS) or category in ("Co", "Cn", "Cs")
