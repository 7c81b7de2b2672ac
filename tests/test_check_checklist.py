"""The shipped checklist, key-term matching, checklist versions and the review log (no knowledge base)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from assistant.features.check.checklist import (
    ChecklistError,
    key_terms_match,
    load_shipped_checklist,
    parse_checklist,
)
from assistant.features.check.checklist_store import ChecklistStore
from assistant.features.check.review import (
    ACTION_ACCEPT,
    ACTION_COMMENT,
    ACTION_EDIT,
    ACTION_REJECT,
    CheckReviewError,
    ReviewLog,
    fold_reviews,
)

THEMES = {
    "Verantwoording en governance",
    "Verwerkingsregister",
    "Grondslagen",
    "Transparantie",
    "Rechten van betrokkenen",
    "Verwerkers",
    "Beveiliging",
    "Datalekken",
    "DPIA",
    "Doorgifte",
    "Bewaartermijnen",
    "Privacy by design",
    "Functionaris gegevensbescherming",
    "Bewustwording",
    "Geautomatiseerde besluitvorming en profilering",
    "Cameratoezicht",
    "Gegevens van kinderen",
}
ARTICLE = re.compile(r"^art\. \d{1,2}( lid \d( sub [a-h](-[a-h])?)?| punt \d{1,2})? AVG$")


def test_shipped_checklist_covers_every_theme_with_complete_questions():
    checklist = load_shipped_checklist()
    assert checklist.version == 1
    assert 38 <= len(checklist.questions) <= 45
    assert set(checklist.themes()) == THEMES
    assert len({q.id for q in checklist.questions}) == len(checklist.questions)
    for question in checklist.questions:
        assert question.question.endswith("?"), question.id
        assert question.articles and all(ARTICLE.match(a) for a in question.articles), question.articles
        assert len(question.good_evidence) > 40 and len(question.measure) > 40, question.id
        assert 0 < question.effort_days <= 10, question.id
        assert question.key_terms, question.id


def test_shipped_checklist_rests_on_the_right_articles():
    checklist = load_shipped_checklist()
    assert "art. 33 lid 1 AVG" in checklist.get("LEK-01").articles
    assert "art. 30 lid 1 AVG" in checklist.get("REG-01").articles
    assert "art. 28 lid 3 AVG" in checklist.get("VWK-01").articles
    assert "art. 37 lid 1 AVG" in checklist.get("FG-01").articles
    assert "art. 5 lid 1 sub e AVG" in checklist.get("BWT-01").articles


def test_checklist_round_trips_through_yaml():
    checklist = load_shipped_checklist()
    again = parse_checklist(checklist.to_yaml())
    assert again.questions == checklist.questions


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        ("Wij bewaren facturen zeven jaar (bewaartermijn).", ["bewaartermijn|bewaarbeleid"], True),
        ("De bewaartermijnen staan in bijlage 2.", ["bewaartermijn"], True),  # inside a longer word
        ("Een FG is niet verplicht.", ["fg|functionaris gegevensbescherming"], True),
        ("Onze afgevaardigde komt langs.", ["fg"], False),  # short terms match whole words only
        ("Een datalek melden wij binnen 72 uur.", ["datalek", "72 uur|autoriteit persoonsgegevens"], True),
        ("De verwerker meldt een datalek binnen 24 uur.", ["datalek", "72 uur|autoriteit"], False),
        ("Geïnformeerd worden patiënten per brief.", ["geinformeerd"], True),  # accents folded
        ("Dagelijks een back-up.", ["back-up|backup"], True),
    ],
)
def test_key_terms_need_every_entry_and_one_alternative(text, terms, expected):
    assert key_terms_match(text, terms) is expected


def test_invalid_checklist_lists_every_problem():
    text = """
vragen:
  - id: A-1
    thema: Test
    vraag: Een vraag?
    maatregel: Iets doen.
    inspanning_dagen: veel
    kernbegrippen: [iets]
  - id: A-1
    thema: Test
    vraag: Nog een vraag?
    maatregel: Iets doen.
    inspanning_dagen: 1
"""
    with pytest.raises(ChecklistError) as caught:
        parse_checklist(text)
    message = str(caught.value)
    assert "'inspanning_dagen' moet een getal zijn" in message
    assert "kernbegrippen" in message
    with pytest.raises(ChecklistError, match="geen geldige YAML"):
        parse_checklist("vragen: [")


def test_each_edit_is_a_new_version_and_old_versions_stay(tmp_path):
    store = ChecklistStore(tmp_path / "compliancy.sqlite3")
    first = store.current()
    assert first.version == 1 and first.questions == load_shipped_checklist().questions

    changed = replace(
        first.get("BWT-01"), effort_days=3.0, measure="Nieuw bewaarbeleid opstellen met de klant."
    )
    second = store.update_question(changed, "Kennisbeheerder K")
    assert second.version == 2 and second.get("BWT-01").effort_days == 3.0
    third = store.remove_question("DGF-02", "Kennisbeheerder K", "Doorgifte samengevoegd")
    assert third.version == 3 and len(third.questions) == len(first.questions) - 1

    reopened = ChecklistStore(tmp_path / "compliancy.sqlite3")
    assert reopened.current().version == 3
    assert reopened.get(1).get("BWT-01").effort_days == first.get("BWT-01").effort_days
    assert [(v.version, v.author) for v in reopened.versions()] == [
        (1, "meegeleverd"),
        (2, "Kennisbeheerder K"),
        (3, "Kennisbeheerder K"),
    ]
    with pytest.raises(ChecklistError, match="naam"):
        reopened.save(first.questions, "  ")
    with pytest.raises(ChecklistError, match="meer dan eens"):
        reopened.save([*first.questions, first.questions[0]], "K")


def test_review_log_keeps_who_what_when_and_folds_decisions(tmp_path):
    log = ReviewLog(tmp_path / "reviews.sqlite3")
    log.record("s", "Q1", ACTION_EDIT, "Anna", {"status": "voldoet"}, "gezien in het contract")
    log.record("s", "Q1", ACTION_ACCEPT, "Bram")
    log.record("s", "Q2", ACTION_REJECT, "Anna", comment="bewijs is te oud")
    log.record("s", "Q2", ACTION_COMMENT, "Bram", comment="klant levert nieuwe versie")
    log.record("ander", "Q1", ACTION_REJECT, "Anna")

    history = log.history("s", "Q1")
    assert [(e.action, e.reviewer) for e in history] == [(ACTION_EDIT, "Anna"), (ACTION_ACCEPT, "Bram")]
    assert all(e.at for e in history)
    states = log.states("s")
    assert states["Q1"].decision == ACTION_ACCEPT and states["Q1"].changes == {"status": "voldoet"}
    assert states["Q2"].decision == ACTION_REJECT and len(states["Q2"].comments) == 2
    assert fold_reviews([*log.history("s", "Q1"), *log.history("ander")]).changes == {}

    with pytest.raises(CheckReviewError):
        log.record("s", "Q1", "goedkeuren", "Anna")
    with pytest.raises(CheckReviewError):
        log.record("s", "Q1", ACTION_EDIT, "Anna")
    with pytest.raises(CheckReviewError):
        log.record("s", "Q1", ACTION_COMMENT, "Anna", comment=" ")
    with pytest.raises(CheckReviewError):
        log.record("s", "Q1", ACTION_ACCEPT, "")


def test_dutch_number_formats_and_partial_effort():
    from assistant.features.check.export import bar, days, money, percent
    from assistant.features.check.report import effort_for

    assert money(1234.5) == "€ 1.234,50" and money(21900) == "€ 21.900" and money(0) == "€ 0"
    assert percent(62.5) == "62,5%" and days(1.5) == "1,5" and days(2.0) == "2"
    assert bar(50, 10) == "█████░░░░░" and bar(0, 4) == "░░░░" and bar(100, 4) == "████"
    assert effort_for("voldoet niet", 3) == 3
    assert [effort_for("voldoet deels", d) for d in (0.5, 1, 1.5, 3, 5)] == [0.5, 0.5, 1.0, 1.5, 2.5]
