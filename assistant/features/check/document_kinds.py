"""What kind of client document a passage comes from, read from the document's title.

Two kinds are not the organisation's own account of how it works:

* a **processing agreement** ("Verwerkersovereenkomst FarmaNet") says what a processor promises to do with
  the organisation's data: its staff's confidentiality, its back-ups, its breach notice to the client. For a
  question about the organisation's own way of working (``eigen_werkwijze``) that is no evidence: "medewerkers
  van Lesplan hebben geheimhouding" says nothing about the driving school's own staff;
* the organisation's **privacy statement** ("Privacyverklaring Autorijschool De Groene Golf") says what it
  tells the public. It is evidence for the transparency questions that mark it
  (``bewijs_uit_privacyverklaring``), never for a measure ("wij beveiligen uw gegevens met passende
  maatregelen" shows no security measure).

An internal policy ("Privacybeleid", "Privacyreglement") is the organisation's own document. A **draft**
("Privacybeleid – CONCEPT", "Versie 0.3 – CONCEPT – nog bespreken met Jos") is not yet how the organisation
works: it shows an intention, and a consultant does not accept it as evidence of a measure.

The first two are read from the title as the register warnings read them
(:mod:`assistant.features.privacy.document_titles`).
"""

from __future__ import annotations

import re

from assistant.features.check.checklist import ChecklistQuestion
from assistant.features.privacy.document_titles import is_privacy_statement, is_processing_agreement
from knowledge.text_analysis import fold

__all__ = ["counts_for", "is_draft", "is_privacy_statement", "is_processing_agreement"]

#: A draft's own mark in its title or first lines (not "een concept-verwerkersovereenkomst ligt klaar"
#: further down, not "functioneel ontwerp").
_DRAFT = re.compile(
    r"^\W*concept\b|[-–—|:(*]\s*concept\b|\bconcept\s*[-–—|:)*]|\bconcept\s*$"
    r"|\bversie 0[.,]\d+\b.{0,20}\bconcept\b|nog niet vastgesteld|nog (\w+ ){0,4}vaststellen"
    r"|\bnog (bespreken|goedkeuren|laten goedkeuren)\b",
    re.MULTILINE,
)
#: How much of a document's first passage holds its title block.
_HEAD_CHARS = 400


def is_draft(title: str, opening: str = "") -> bool:
    """True when the document's title or its opening lines mark it as a draft that is not adopted."""
    head = "\n".join(line.strip() for line in opening[:_HEAD_CHARS].splitlines()[:6])
    return any(_DRAFT.search(fold(text)) for text in (title, head) if text)


def counts_for(question: ChecklistQuestion, title: str) -> bool:
    """Whether a passage of the document titled ``title`` can be evidence for ``question``."""
    if is_privacy_statement(title):
        return question.statement_evidence
    return not (question.own_practice and is_processing_agreement(title))
