"""A client who writes there is none of what a question is about: "niet van toepassing", not a gap.

"Er zijn geen camera's in ons kantoor" used to be read as an admission for CAM-01 (*voldoet niet*, with
an action "camera's: belangenafweging vastleggen" in the plan) or as thin evidence (*voldoet deels*). For
the questions about a kind of data or processing an organisation may simply not have (cameras, children,
automated decisions, special data) the proposal is now *niet van toepassing* with the client's sentence,
for review; a question about a measure keeps the admission ("er is geen DPIA"). Real SQLite, Chroma and
embedder in a temp folder; three clients, each with its own documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from check_support import make_app

from assistant.app import App
from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.model import (
    LABEL_ADMISSION,
    LABEL_KNOWN,
    LABEL_NONE_IN_DOCUMENTS,
    POLARITY_ADMITS_GAP,
    STATUS_NOT_APPLICABLE,
    STATUS_UNKNOWN,
    CheckAnswer,
)
from assistant.features.check.polarity import denies_existence, mentions_beside_denial
from knowledge.scopes import client_scope

NONE_CLIENT = "Administratiekantoor Telwerk"
NONE_POLICY = """# Privacybeleid Administratiekantoor Telwerk

## Ons kantoor

Wij zijn een administratiekantoor met zes medewerkers. Er zijn geen camera's in ons kantoor of bij de
ingang. Wij nemen geen geautomatiseerde besluiten over klanten: iedere aangifte wordt door een
medewerker gecontroleerd.

## DPIA

Er is geen DPIA uitgevoerd voor de nieuwe klantportal.
"""

DOOR_CLIENT = "Fysiopraktijk De Poort"
DOOR_POLICY = """# Beveiliging Fysiopraktijk De Poort

## Camera

Er zijn geen camera's in de behandelkamers. Bij de ingang hangt één camera; de beelden bewaren wij
vier weken en alleen de praktijkmanager kan ze bekijken.
"""

REGISTER_CLIENT = "Kantoor Tegenspraak"
REGISTER_POLICY = """# Huisregels Kantoor Tegenspraak

Er hangen geen camera's in het pand.
"""
REGISTER = """klant: Kantoor Tegenspraak
organisatie:
  naam: Kantoor Tegenspraak B.V.
  adres: Stationsplein 1, 1000 AA Amsterdam
  email: privacy@tegenspraak.nl
verwerkingen:
  - naam: Cameratoezicht
    doel: beveiliging van het pand met camera's bij de ingang
    grondslag: f
    gerechtvaardigd_belang: beveiliging van personen en eigendommen
    gegevens: [camerabeelden]
    betrokkenen: [bezoekers, medewerkers]
    bewaartermijn: 4 weken
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[App]:
    workdir = tmp_path_factory.mktemp("none-in-documents")
    application = make_app(workdir / "data", embedder)
    for client, policy in (
        (NONE_CLIENT, NONE_POLICY),
        (DOOR_CLIENT, DOOR_POLICY),
        (REGISTER_CLIENT, REGISTER_POLICY),
    ):
        folder = workdir / client.split()[-1].lower()
        folder.mkdir()
        name = f"beleid-{folder.name}.md"
        report = application.ingest.ingest([_write(folder, name, policy)], client_scope(client), actor="test")
        assert report.documents == 1, report.summary()
    register = _write(workdir, "register.yaml", REGISTER)
    application.privacy.import_register(register, "test", client=REGISTER_CLIENT)
    yield application
    application.close()


def _answers(app: App, client: str) -> dict[str, CheckAnswer]:
    return {a.question_id: a for a in app.check.run(client, "consultant-x").answers}


@pytest.fixture(scope="module")
def none_answers(app: App) -> dict[str, CheckAnswer]:
    return _answers(app, NONE_CLIENT)


def test_denied_existence_is_not_applicable_with_the_clients_sentence(none_answers):
    cameras = none_answers["CAM-01"]
    assert cameras.status == STATUS_NOT_APPLICABLE
    assert cameras.label == LABEL_NONE_IN_DOCUMENTS
    assert "Er zijn geen camera's in ons kantoor" in cameras.rationale
    assert "Ga na of dat klopt" in cameras.rationale
    assert all(e.polarity != POLARITY_ADMITS_GAP for e in cameras.evidence)  # not shown as a gap
    decisions = none_answers["ADM-01"]
    assert decisions.status == STATUS_NOT_APPLICABLE, decisions.rationale
    assert "geautomatiseerde besluiten" in decisions.rationale


def test_a_missing_measure_stays_an_admission(none_answers):
    dpia = none_answers["DPIA-02"]
    assert dpia.label == LABEL_ADMISSION
    assert "Er is geen DPIA uitgevoerd" in dpia.rationale


def test_not_applicable_leaves_the_score_and_the_plan(app: App):
    run = app.check.latest(NONE_CLIENT)
    report = app.check.report(run)
    assert "CAM-01" in [i.answer.question_id for i in report.not_applicable]
    assert all(a.question_id != "CAM-01" for a in report.actions)


def test_a_camera_named_elsewhere_keeps_the_question(app: App):
    cameras = _answers(app, DOOR_CLIENT)["CAM-01"]
    assert cameras.status != STATUS_NOT_APPLICABLE
    assert cameras.label != LABEL_ADMISSION  # "geen camera's in de behandelkamers" admits no gap


def test_documents_against_the_register_ask_the_consultant(app: App):
    cameras = _answers(app, REGISTER_CLIENT)["CAM-01"]
    assert cameras.status == STATUS_UNKNOWN
    assert cameras.label == LABEL_KNOWN
    assert "het register noemt het wel" in cameras.rationale
    assert "Er hangen geen camera's in het pand" in cameras.rationale


def test_existence_denied_in_words():
    checklist = load_shipped_checklist()
    cameras, decisions, children = (checklist.get(q) for q in ("CAM-01", "ADM-01", "KIN-01"))
    assert denies_existence("Er hangen geen camera's in de praktijk.", cameras)
    assert denies_existence("Wij hebben geen camerabewaking.", cameras)
    assert denies_existence("Wij nemen geen geautomatiseerde besluiten over klanten.", decisions)
    assert denies_existence("Wij hebben geen kinderen als klant.", children)
    # a rule or a place, not an existence denied
    assert not denies_existence("Camerabeelden delen wij niet met derden.", cameras)
    assert not denies_existence("In de spreekkamers hangen geen camera's.", cameras)
    text = "Er zijn binnen geen camera's. Bij de ingang hangt één camera."
    assert mentions_beside_denial(text, cameras) == ["Bij de ingang hangt één camera."]
