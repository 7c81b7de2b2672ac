"""Completeness of "doelen": every purpose needs its legal basis; own statements as a held-out floor."""

from __future__ import annotations

from pathlib import Path

from assistant.features.privacy.completeness import MISSING, PRESENT, WEAK, check_text
from assistant.ops.statement_evaluation import evaluate_statements

EIGEN = Path(__file__).parent / "fixtures" / "privacy" / "eigen"
HEAD = (
    "# Privacyverklaring Bakkerij Korrel\n\n"
    "Bakkerij Korrel, Dorpsstraat 1, 1234 AB Ergens, info@korrel.example.\n\n"
)


def test_purposes_without_any_basis_are_weak() -> None:
    text = HEAD + (
        "## Waarvoor gebruiken wij uw gegevens?\n\nWij gebruiken uw gegevens om:\n"
        "- uw bestelling te bezorgen;\n- u onze nieuwsbrief te sturen;\n- onze website te verbeteren.\n"
    )
    assert check_text(text).status("doelen") == WEAK


def test_purposes_each_with_a_basis_are_present() -> None:
    text = HEAD + (
        "## Waarvoor gebruiken wij uw gegevens?\n\nWij gebruiken uw gegevens om:\n"
        "- uw bestelling te bezorgen; dat is nodig voor de uitvoering van de overeenkomst;\n"
        "- u onze nieuwsbrief te sturen, op basis van uw toestemming;\n"
        "- onze boekhouding te voeren; daartoe zijn wij wettelijk verplicht (art. 6 lid 1 sub c AVG);\n"
        "- fraude met cadeaubonnen te voorkomen, op grond van ons gerechtvaardigd belang.\n"
    )
    assert check_text(text).status("doelen") == PRESENT


def test_a_basis_for_only_some_purposes_is_weak_and_names_the_others() -> None:
    text = HEAD + (
        "## Doelen\n\nWij verwerken uw gegevens voor de volgende doelen:\n"
        "- het leveren van uw bestelling (uitvoering van de overeenkomst);\n"
        "- het versturen van aanbiedingen aan klanten;\n"
        "- het bijhouden van bezoekersstatistieken.\n"
    )
    result = check_text(text).result("doelen")
    assert result.status == WEAK
    assert "2 van 3" in result.note and "aanbiedingen" in result.note


def test_a_basis_heading_covers_the_purposes_below_it() -> None:
    text = HEAD + (
        "## Doelen op grond van de overeenkomst\n\nWij gebruiken uw gegevens om:\n"
        "- uw bestelling te bezorgen;\n- u te bellen als een product niet leverbaar is.\n\n"
        "## Doelen op grond van uw toestemming\n\nWij gebruiken uw e-mailadres om:\n"
        "- u onze nieuwsbrief te sturen.\n"
    )
    assert check_text(text).status("doelen") == PRESENT


def test_a_purpose_paragraph_with_its_basis_in_the_next_sentence_counts() -> None:
    text = HEAD + (
        "## Waarom wij uw gegevens verwerken\n\nOm uw bestelling te kunnen leveren, gebruiken wij uw adres. "
        "Dat doen wij op grond van de overeenkomst die u met ons sluit.\n"
    )
    assert check_text(text).status("doelen") == PRESENT


def test_one_basis_said_for_all_purposes_of_the_section_covers_them() -> None:
    text = HEAD + (
        "## Waarvoor gebruiken wij uw gegevens?\n\n"
        "- **Wmo**: om te onderzoeken welke ondersteuning u nodig heeft.\n"
        "- **Jeugdhulp**: om te zorgen dat kinderen de hulp krijgen die zij nodig hebben.\n"
        "Wij gebruiken uw gegevens omdat dit nodig is voor een taak die de wet aan de gemeente geeft "
        "(algemeen belang).\n"
    )
    assert check_text(text).status("doelen") == PRESENT
    # ... but a basis inside one purpose covers only that purpose.
    one = HEAD + (
        "## Doelen\n\nWij gebruiken uw gegevens om:\n"
        "- u onze nieuwsbrief te sturen; wij gebruiken uw e-mailadres op basis van uw toestemming;\n"
        "- bezoekersstatistieken bij te houden.\n"
    )
    assert check_text(one).status("doelen") == WEAK


def test_a_list_of_rights_is_no_list_of_purposes() -> None:
    text = HEAD + (
        "## Doelen\n\nWij gebruiken uw gegevens om uw bestelling te leveren, op grond van de "
        "overeenkomst.\n\n## Uw rechten\n\nU heeft het recht om:\n"
        "- uw gegevens in te zien;\n- fouten te laten verbeteren.\n"
    )
    assert check_text(text).status("doelen") == PRESENT


def test_no_purposes_at_all_are_missing() -> None:
    assert check_text(HEAD + "## Contact\n\nBel ons gerust.\n").status("doelen") == MISSING


def test_own_statements_floor() -> None:
    """Four statements written and labelled before the rules were changed (79% then); see README."""
    result = evaluate_statements(EIGEN)
    assert result.statements == 4 and result.total == 56
    assert result.placeholder_present == 0
    assert result.agreement >= 0.92, result.differences
