"""What a client document is, read from its title: a processor's agreement or a privacy statement.

Both the register warnings (a processor's agreement states the processor's duties, not the basis of the
client's processing) and the Compliancy Check (:mod:`assistant.features.check.document_kinds`) read the
same titles, so the patterns live here once.
"""

from __future__ import annotations

import re

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


#: Documents about every activity at once: a privacy statement or policy, a security policy, a retention
#: schedule, a list of suppliers or systems.
_OVERVIEW = re.compile(
    r"privacybeleid|privacyreglement|beveiligingsbeleid|informatiebeveiliging|bewaarbeleid|bewaartermijn"
    r"|bewaarschema|leveranciers"
    r"|verwerkersoverzicht|overzicht (?:van )?(?:systemen|verwerkers|leveranciers)|systemen en partijen"
)


def is_overview(title: str) -> bool:
    """True when the document's title names one about all the organisation's processing (a privacy
    statement or policy, a security policy, a retention schedule, a list of suppliers), not one activity."""
    return (
        _OVERVIEW.search(fold(title)) is not None
        or is_privacy_statement(title)
        or is_processing_agreement(title)
    )
