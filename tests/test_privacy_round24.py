"""Round 24, register and privacy statement, from nine new dossiers of three writers who did not see the
code (read now): a party named with its article ("ook met De Blauwe Zaal"), a recipient of a common kind
(the consultatiebureau), a flow whose aside has a "geen" of its own; a diet code that shows belief or
health, with an aside's "geen"; who books for others or hands over a list as the source; an art. 9
exception a processor names in words.

The sentences are our own, in the shapes the writers used, not theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.features.privacy.errors import RegisterError
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.other_sources import third_party
from assistant.features.privacy.register_io import load_yaml
from assistant.features.privacy.register_recipients import unrecorded_recipients
from assistant.features.privacy.register_special import BeliefData, SpecialData, unrecorded_special_data


@dataclass(frozen=True)
class _Passage:
    document: str
    text: str
    page: int = 0


def _venue() -> Register:
    return Register(
        client="Poppodium De Kelder",
        controller=Controller(name="Stichting Poppodium De Kelder"),
        activities=[
            Activity(
                "Toegangsweigeringen",
                purpose="bezoekers met een toegangsweigering herkennen",
                legal_basis="f",
                data_categories=["naam", "foto", "reden", "einddatum"],
                recipients=[Recipient("Beveiliging Oost B.V.")],
            ),
            Activity(
                "Intake vrijwilligers",
                purpose="vrijwilligers aannemen",
                legal_basis="b",
                data_categories=["naam", "telefoonnummer", "beschikbaarheid"],
            ),
            Activity(
                "Maaltijden crew",
                purpose="maaltijden voor artiesten en crew bestellen",
                legal_basis="b",
                data_categories=["naam", "maaltijdvoorkeur"],
                recipients=[Recipient("Cateraar Smaakvol")],
            ),
        ],
    )


def test_a_party_named_with_its_article_is_a_recipient_the_register_lacks() -> None:
    passage = _Passage(
        "Werkwijze toegangsweigeringen",
        "Sinds maart delen we de lijst met toegangsweigeringen, met foto en reden, ook met De Blauwe Zaal in "
        "Breda.",
    )
    found = [(activity, party) for activity, party, _, _ in unrecorded_recipients([passage], _venue())]
    assert found == [("Toegangsweigeringen", "Blauwe Zaal")]


def test_a_recipient_of_a_common_kind_and_an_aside_with_geen() -> None:
    passages = [
        _Passage(
            "Werkwijze intake vrijwilligers",
            "Na de intake van vrijwilligers sturen we de uitkomst naar de verwijzer (of per post, als de "
            "verwijzer geen e-mailadres heeft).",
        ),
        _Passage(
            "Werkwijze intake vrijwilligers", "De uitkomst van de intake sturen we niet naar de verwijzer."
        ),
    ]
    found = [(activity, party) for activity, party, _, _ in unrecorded_recipients(passages, _venue())]
    assert found == [("Intake vrijwilligers", "verwijzer")]


def test_a_diet_code_shows_belief_and_health_despite_an_aside() -> None:
    passage = _Passage(
        "Werkwijze maaltijden crew",
        "Op de maaltijdlijst van de crew staat per persoon een code: K voor koosjer (geen varkensvlees, om "
        "geloofsredenen), C voor glutenvrij bij coeliakie.",
    )
    found = {type(s): (s.activity, s.what) for s in unrecorded_special_data([passage], _venue())}
    assert found[SpecialData] == ("Maaltijden crew", "coeliakie")
    assert found[BeliefData][0] == "Maaltijden crew" and "koosjer" in found[BeliefData][1]
    denied = _Passage("Werkwijze maaltijden crew", "Wij vragen de crew niet naar geloof of gezondheid.")
    assert unrecorded_special_data([denied], _venue()) == []


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("De gastenlijst krijgen we van de tourmanager, meestal op de dag zelf.", "de tourmanager"),
        ("De hoofdboeker vult ook de gegevens van alle reisgenoten in.", "de hoofdboeker"),
        ("Een deel van de boekingen komt binnen via Kapperzoeker.nl.", "de kapperzoeker.nl"),
        ("U kunt een afspraak maken via onze website.", ""),
        ("Wij sturen de gastenlijst naar de tourmanager.", ""),
    ],
)
def test_who_books_for_others_or_hands_over_a_list_is_a_source(sentence: str, party: str) -> None:
    assert third_party(sentence) == party


_PROCESSOR_EXCEPTION = """
organisatie:
  naam: Vertaalbureau Tweetalig
verwerkingen:
  - naam: Vertalingen voor opdrachtgevers
    doel: documenten vertalen in opdracht (als verwerker)
    grondslag: b
    bijzondere_gegevens: [gezondheidsgegevens in medische stukken]
    uitzondering: >-
      wij verwerken als verwerker; de uitzondering ligt bij de opdrachtgever (art. 9 lid 2 sub h of f)
    betrokkenen: [personen in documenten]
    gegevens: [documenten]
    bewaartermijn: 1 jaar na levering
"""


def test_an_exception_a_processor_names_in_words_does_not_stop_the_import(tmp_path: Path) -> None:
    register = load_yaml(_PROCESSOR_EXCEPTION)
    activity = register.activities[0]
    assert activity.name == "Vertalingen voor opdrachtgevers" and activity.art9_exception == ""
    # the client's own exception in words no letter names is still refused, with a Dutch message
    with pytest.raises(RegisterError, match="Onbekende grondslag"):
        load_yaml(
            _PROCESSOR_EXCEPTION.replace(
                "wij verwerken als verwerker; de uitzondering ligt bij de opdrachtgever", "zie de notitie"
            )
        )


def test_the_basis_for_criminal_data_in_the_exception_field_does_not_stop_the_import() -> None:
    register = load_yaml(
        """
organisatie:
  naam: Beveiligingsbedrijf Wachtpost
verwerkingen:
  - naam: Screening nieuwe beveiligers
    doel: nieuwe beveiligers screenen
    grondslag: c
    bijzondere_gegevens: [strafrechtelijke gegevens (VOG)]
    uitzondering: art. 10 AVG jo. art. 33 UAVG; de screening is wettelijk verplicht
    betrokkenen: [sollicitanten]
    gegevens: [naam, VOG]
    bewaartermijn: 2 jaar na uitdiensttreding
"""
    )
    assert register.activities[0].art9_exception == ""


def test_a_negated_aside_names_no_recipient_and_no_special_data() -> None:
    recipients = _Passage(
        "Werkwijze intake vrijwilligers",
        "Na de intake van vrijwilligers sturen we de uitkomst naar de coördinator (niet naar de verwijzer).",
    )
    assert [p for _, p, _, _ in unrecorded_recipients([recipients], _venue())] == []
    special = _Passage(
        "Werkwijze maaltijden crew",
        "Op de maaltijdlijst van de crew staan alleen de dieetwensen (niet de reden, dus niet of iemand "
        "koosjer eet om geloofsredenen).",
    )
    products = _Passage(
        "Werkwijze maaltijden crew", "Op de productlijst staan ook koosjere en glutenvrije producten."
    )
    assert unrecorded_special_data([special, products], _venue()) == []


def test_a_file_transfer_service_is_no_source() -> None:
    assert third_party("De scans ontvangen wij via WeTransfer.com van de klant zelf.") == ""


def test_criminal_data_need_no_exception_of_article_9() -> None:
    from assistant.features.privacy.model import validate

    register = load_yaml(
        """
organisatie:
  naam: Beveiligingsbedrijf Wachtpost
verwerkingen:
  - naam: Screening nieuwe beveiligers
    doel: nieuwe beveiligers screenen
    grondslag: c
    bijzondere_gegevens: [strafrechtelijke gegevens (VOG)]
    uitzondering: art. 10 lid 1 AVG jo. art. 33 lid 2 UAVG
    betrokkenen: [sollicitanten]
    gegevens: [naam, VOG]
    bewaartermijn: 2 jaar na uitdiensttreding
"""
    )
    assert not any("uitzondering van art. 9" in str(p) for p in validate(register))
