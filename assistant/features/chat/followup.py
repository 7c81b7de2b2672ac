"""Follow-up questions: search with the conversation's context when a question leans on it.

A question like "En voor klanten?" or "Hoe lang dan?" cannot be answered on its own.
When a question is elliptic, the retrieval query becomes the previous question(s)
followed by the new one. A question is elliptic when it

* starts with a connective ("en", "maar", "ook", "dus", "wat als", "geldt dat", …), or
* has no content words at all ("Mag dat?", "Hoe lang?"), or
* refers back with a word like "dan", "daarvoor" or "hetzelfde" and has fewer than
  ``MAX_CONTENT_WORDS`` content words.

A standalone short question ("Wat is een DPIA?") keeps its own wording, so a change of
subject is not blurred by the previous one. When the previous question was itself
elliptic, the chain goes further back, at most ``MAX_CONTEXT_QUESTIONS`` questions.
"""

from __future__ import annotations

from knowledge.text_analysis import DUTCH_STOPWORDS, tokenize

MAX_CONTENT_WORDS = 6
MAX_CONTEXT_QUESTIONS = 2

CONNECTIVES = frozenset("en maar ook dus of want daarnaast verder bovendien anders".split())
OPENING_PHRASES = frozenset(
    (
        "wat als",
        "wat dan",
        "wat nu",
        "hoe dan",
        "hoe zit",
        "geldt dat",
        "geldt dit",
        "geldt hetzelfde",
        "is dat",
        "is dit",
        "mag dat",
        "moet dat",
        "kan dat",
        "in dat",
        "in dit",
        "en als",
    )
)
ANAPHORS = frozenset(
    (
        "dan daar daarvoor daarvan daarbij daarna daarmee daarin daarop daarover hierbij hiervoor "
        "hiervan hiermee hierin ervan ervoor erbij ermee erin hetzelfde dezelfde zulke zoiets"
    ).split()
)
# Words that carry no subject of their own in a follow-up ("hoe lang", "hoe snel").
_NO_SUBJECT = frozenset("lang snel vaak laat vroeg welke soort geval situatie dan".split())


def content_words(question: str) -> list[str]:
    """The folded words of ``question`` that carry a subject."""
    return [
        token
        for token in tokenize(question)
        if len(token) > 1
        and token not in DUTCH_STOPWORDS
        and token not in ANAPHORS
        and token not in _NO_SUBJECT
    ]


def is_elliptic(question: str) -> bool:
    """True when ``question`` leans on an earlier question to be understood."""
    tokens = tokenize(question)
    if not tokens:
        return False
    if tokens[0] in CONNECTIVES or " ".join(tokens[:2]) in OPENING_PHRASES:
        return True
    content = content_words(question)
    if not content:
        return True
    return len(content) < MAX_CONTENT_WORDS and any(token in ANAPHORS for token in tokens)


def contextual_query(history_questions: list[str], question: str) -> str:
    """The retrieval query for ``question``: with the previous question(s) when it is elliptic."""
    question = " ".join(question.split())
    parts = [question]
    current = question
    for previous in reversed([q for q in history_questions if q.strip()]):
        if len(parts) > MAX_CONTEXT_QUESTIONS or not is_elliptic(current):
            break
        current = " ".join(previous.split())
        parts.insert(0, current)
    return " ".join(parts)
