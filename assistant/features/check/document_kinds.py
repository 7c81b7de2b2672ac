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

An internal policy ("Privacybeleid", "Privacyreglement") is the organisation's own document.
"""

from __future__ import annotations

import re

from assistant.features.check.checklist import ChecklistQuestion
from knowledge.text_analysis import fold

_AGREEMENT = re.compile(
    r"verwerkersovereenkomst|verwerkingsovereenkomst|verwerkers overeenkomst"
    r"|data processing agreement|\bdpa\b"
)
_STATEMENT = re.compile(r"privacyverklaring|privacystatement|privacy statement|privacy verklaring")


def is_processing_agreement(title: str) -> bool:
    """True when the document's title names a processing agreement."""
    return _AGREEMENT.search(fold(title)) is not None


def is_privacy_statement(title: str) -> bool:
    """True when the document's title names a privacy statement (the organisation's public information)."""
    return _STATEMENT.search(fold(title)) is not None


def counts_for(question: ChecklistQuestion, title: str) -> bool:
    """Whether a passage of the document titled ``title`` can be evidence for ``question``."""
    if is_privacy_statement(title):
        return question.statement_evidence
    return not (question.own_practice and is_processing_agreement(title))
