"""Round 11: a draft is an intention, not a measure.

Writers of client dossiers who did not see the code put an unadopted policy in five of eighteen dossiers
("Privacybeleid … – CONCEPT", "Versie 0.3 – CONCEPT – nog bespreken met Jos", "CONCEPT – nog bespreken
met Anouk en vaststellen!!"), and their consultants judged the procedures it describes as not in place
(GOV-01, REC-01, LEK-01 *voldoet niet*). The check judges a question without the drafts' passages; where only
a draft describes the measure it is *voldoet niet*, and the rationale says why. The service-level test uses
real SQLite, Chroma and the embedder in a temp folder.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from check_support import make_app

from assistant.app import App
from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.document_kinds import is_draft
from assistant.features.check.model import (
    STATUS_COMPLIES,
    STATUS_FAILS,
    DocumentPassage,
    Evidence,
)
from assistant.features.check.service import draft_documents, evidence_proposal
from knowledge.scopes import client_scope

CHECKLIST = load_shipped_checklist()
NEIGHBOURS = CHECKLIST.questions
CLIENT = "Garage Hoekstra"

BREACH_PROCEDURE = (
    "Medewerkers melden een (vermoedelijk) datalek direct bij de directie. De directie beoordeelt het risico "
    "en meldt een datalek dat een risico vormt binnen 72 uur aan de Autoriteit Persoonsgegevens."
)


@pytest.mark.parametrize(
    ("title", "opening"),
    [
        ("Privacybeleid Autobedrijf Hoekstra – CONCEPT", ""),
        (
            "PRIVACYBELEID GARAGE HOEKSTRA",
            "PRIVACYBELEID GARAGE HOEKSTRA\n\nVersie 0.3 – CONCEPT – mei 2018\n",
        ),
        ("Privacyreglement", "CONCEPT – nog bespreken met Anouk en vaststellen!!\n\n# Privacyreglement\n"),
        ("Privacyreglement", "# Privacyreglement\n\n*CONCEPT – versie 0.3 – juni 2021 – Marjan*\n"),
        ("Beleid", "# Beleid\n\nDit beleid is nog niet vastgesteld door het bestuur.\n"),
    ],
)
def test_a_draft_is_marked_in_its_title_or_opening_lines(title: str, opening: str) -> None:
    assert is_draft(title, opening)


@pytest.mark.parametrize(
    ("title", "opening"),
    [
        ("Functioneel ontwerp Kustfiets app – release 2.0", "Functioneel ontwerp Kustfiets app\n"),
        ("Privacybeleid", "# Privacybeleid\n\nVastgesteld door de directie op 3 maart 2025.\n"),
        (
            "Notulen MT",
            "# Notulen MT\n\nAanwezig: Erik, Ingrid.\n\n1. Opening\n\n2. Ingekomen stukken\n"
            "\n3. Het concept van de nieuwe website is besproken en goedgekeurd.\n",
        ),
    ],
)
def test_an_adopted_document_or_a_concept_further_down_is_no_draft(title: str, opening: str) -> None:
    assert not is_draft(title, opening)


def test_draft_documents_reads_each_documents_first_passage() -> None:
    passages = [
        DocumentPassage("Privacybeleid", "# Privacybeleid\n\n*CONCEPT – versie 0.2*\n\n## Datalekken"),
        DocumentPassage("Privacybeleid", "Vastgesteld? Nee, zie boven."),
        DocumentPassage("Werkinstructie werkplaats", "# Werkinstructie werkplaats\n\nIedereen logt in."),
    ]
    assert draft_documents(passages) == frozenset({"Privacybeleid"})


def _evidence(document: str, text: str) -> Evidence:
    return Evidence(document, -1, document, text[:100], "c1", 0.9, "klant:x", passage=text)


def test_a_measure_only_a_draft_describes_fails_with_the_reason() -> None:
    question = CHECKLIST.get("LEK-01")
    draft = _evidence("Privacybeleid – CONCEPT", BREACH_PROCEDURE)
    adopted = evidence_proposal(question, [draft], neighbours=NEIGHBOURS)
    assert adopted.status == STATUS_COMPLIES  # the same words in an adopted document
    answer = evidence_proposal(question, [draft], neighbours=NEIGHBOURS, drafts=frozenset({draft.document}))
    assert answer.status == STATUS_FAILS
    assert "alleen in een concept dat nog niet is vastgesteld (Privacybeleid – CONCEPT)" in answer.rationale
    # the draft stays shown as what was read
    assert [e.document for e in answer.evidence] == ["Privacybeleid – CONCEPT"]


def test_an_adopted_document_beside_the_draft_is_judged_on_its_own() -> None:
    question = CHECKLIST.get("LEK-01")
    draft = _evidence("Privacybeleid – CONCEPT", BREACH_PROCEDURE)
    own = _evidence("Datalekprocedure", BREACH_PROCEDURE)
    answer = evidence_proposal(
        question, [draft, own], neighbours=NEIGHBOURS, drafts=frozenset({draft.document})
    )
    assert answer.status == STATUS_COMPLIES and "concept" not in answer.rationale


POLICY_DRAFT = f"""# Privacybeleid Garage Hoekstra – CONCEPT

> NB: nog niet vastgesteld door de directie.

## Datalekken

{BREACH_PROCEDURE}
"""

WORKSHOP = """# Werkinstructie werkplaats

Monteurs loggen in op de werkplaatscomputer met hun eigen account. Klantgegevens staan in het DMS.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[App]:
    workdir = tmp_path_factory.mktemp("drafts")
    application = make_app(workdir / "data", embedder)
    files = []
    for name, text in (("privacybeleid-concept.md", POLICY_DRAFT), ("werkinstructie.md", WORKSHOP)):
        path = workdir / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    report = application.ingest.ingest(files, client_scope(CLIENT), actor="test")
    assert report.documents == 2, report.summary()
    yield application
    application.close()


def test_the_check_does_not_count_the_draft_policys_breach_procedure(app: App) -> None:
    run = app.check.run(CLIENT, "consultant-x")
    answer = run.answer("LEK-01")
    assert answer is not None and answer.status == STATUS_FAILS, answer
    assert "concept dat nog niet is vastgesteld" in answer.rationale
