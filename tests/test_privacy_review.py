"""Review of drafts: transitions, versions and diffs, comments, audit trail, and "verouderd"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.features.privacy.errors import ReviewError
from assistant.features.privacy.model import SourceRef
from assistant.features.privacy.register_io import import_register
from assistant.features.privacy.review import APPROVED, CONCEPT, IN_REVIEW, REJECTED, STALE, DraftRecord
from assistant.features.privacy.service import PrivacyService

WEBSHOP = Path(__file__).parent / "fixtures" / "privacy" / "webshop-zonnig.yaml"
CLIENT = "Webshop Zonnig"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[PrivacyService]:
    svc = PrivacyService(tmp_path / "data")
    svc.import_register(WEBSHOP, "anna")
    yield svc
    svc.close()


def test_workflow_concept_review_approve(service: PrivacyService) -> None:
    record = service.create_draft(CLIENT, "anna")
    assert (record.status, record.version, record.status_label) == (CONCEPT, 1, "concept")
    review = service.review
    assert review.submit(record.id, "anna").status == IN_REVIEW
    with pytest.raises(ReviewError, match="ter beoordeling en kan niet worden gewijzigd"):
        review.edit_section(record.id, "klacht", "Nieuwe tekst.", "anna")
    with pytest.raises(ReviewError, match="Geef een reden op"):
        review.reject(record.id, "bram", "  ")
    approved = review.approve(record.id, "bram", "akkoord")
    assert approved.status == APPROVED and approved.approved_version == 1
    with pytest.raises(ReviewError, match="is goedgekeurd; deze stap kan alleen als het ter beoordeling is"):
        review.approve(record.id, "bram")
    with pytest.raises(ReviewError, match="Concept 99 bestaat niet"):
        review.submit(99, "anna")


def test_reject_then_new_version_goes_back_to_concept(service: PrivacyService) -> None:
    record = service.create_draft(CLIENT, "anna")
    review = service.review
    review.submit(record.id, "anna")
    rejected = review.reject(record.id, "bram", "Bewaartermijn nieuwsbrief te vaag.")
    assert rejected.status == REJECTED
    with pytest.raises(ReviewError, match="is afgewezen"):
        review.submit(record.id, "anna")
    edited = review.edit_section(record.id, "bewaartermijnen", "Wij bewaren alles 1 jaar.", "anna")
    assert (edited.status, edited.version) == (CONCEPT, 2)
    assert review.submit(record.id, "anna").status == IN_REVIEW
    assert review.withdraw(record.id, "anna").status == CONCEPT


def test_four_eyes_requires_another_approver(tmp_path: Path) -> None:
    service = PrivacyService(tmp_path / "data", four_eyes=True)
    try:
        service.import_register(WEBSHOP, "anna")
        record = service.create_draft(CLIENT, "anna")
        service.review.submit(record.id, "anna")
        with pytest.raises(ReviewError, match="vier ogen"):
            service.review.approve(record.id, "anna")
        assert service.review.approve(record.id, "bram").status == APPROVED
    finally:
        service.close()


def test_versions_diff_per_section(service: PrivacyService) -> None:
    record = service.create_draft(CLIENT, "anna")
    review = service.review
    review.edit_section(record.id, "klacht", "Klachten? Mail ons. (art. 13 lid 2 sub d AVG)", "anna")
    register = service.register(CLIENT)
    register.activity("Klantenservice").retention = "3 jaar na het laatste contact"
    service.save_register(register, "anna")
    service.regenerate(record.id, "anna")
    assert [v.number for v in review.versions(record.id)] == [1, 2, 3]

    first = {d.key: d for d in review.diff(record.id, 1, 2)}
    assert first["klacht"].change == "gewijzigd"
    assert any(line.startswith("+Klachten? Mail ons.") for line in first["klacht"].lines)
    assert first["bewaartermijnen"].change == "gelijk"

    second = {d.key: d for d in review.diff(record.id, 1, 3)}
    assert second["klacht"].change == "gelijk"  # regenerated from the templates again
    retention = second["bewaartermijnen"]
    assert retention.change == "gewijzigd"
    assert "-- **Klantenservice**: 2 jaar na het laatste contact." in retention.lines
    assert "+- **Klantenservice**: 3 jaar na het laatste contact." in retention.lines
    assert [d.key for d in second.values() if d.change != "gelijk"] == ["bewaartermijnen"]


def test_comments_per_section_and_audit_trail(service: PrivacyService) -> None:
    record = service.create_draft(CLIENT, "anna")
    review = service.review
    review.comment(record.id, "bewaartermijnen", "bram", "Klopt 7 jaar voor bestellingen?")
    review.comment(record.id, "", "bram", "Mooi leesbaar.")
    with pytest.raises(ReviewError, match="geen onderdeel 'bestaat-niet'"):
        review.comment(record.id, "bestaat-niet", "bram", "x")
    assert [c.text for c in review.comments(record.id, "bewaartermijnen")] == [
        "Klopt 7 jaar voor bestellingen?"
    ]
    review.submit(record.id, "anna")
    review.approve(record.id, "bram")
    trail = service.audit_trail(CLIENT, record.id)
    assert [(e.actor, e.action) for e in trail] == [
        ("anna", "concept aangemaakt"),
        ("bram", "opmerking"),
        ("bram", "opmerking"),
        ("anna", "ter beoordeling aangeboden"),
        ("bram", "goedgekeurd"),
    ]
    everything = service.audit_trail(CLIENT)
    assert everything[0].action == "register geïmporteerd uit webshop-zonnig.yaml"
    assert all(e.at for e in everything)


def test_register_change_after_approval_marks_draft_verouderd(service: PrivacyService) -> None:
    record = service.create_draft(CLIENT, "anna")
    service.review.submit(record.id, "anna")
    service.review.approve(record.id, "bram")
    unchanged = service.view(record.id)
    assert unchanged.record.status == APPROVED and not unchanged.staleness.stale

    register = service.register(CLIENT)
    register.activity("Bestellingen").retention = "10 jaar na de bestelling"
    register.activity("Klantenservice").recipients[0].country = "Canada"
    service.save_register(register, "anna")

    record = service.review.get(record.id)
    assert record.status == STALE and record.status_label == "verouderd"
    reasons = "\n".join(record.stale_reasons)
    assert (
        "Gewijzigd: Verwerking 'Bestellingen' — bewaartermijn: '7 jaar na de bestelling, vanwege de fiscale "
        "bewaarplicht' → '10 jaar na de bestelling'" in reasons
    )
    assert "Verwerking 'Klantenservice' — ontvangers" in reasons and "Canada" in reasons
    assert service.audit_trail(CLIENT, record.id)[-1].action == "verouderd"
    # The stale draft is revised into a new concept version built from the current register.
    revised = service.regenerate(record.id, "anna")
    assert (revised.status, revised.version) == (CONCEPT, 2)
    assert "10 jaar na de bestelling" in service.review.version(record.id).section("bewaartermijnen").text


def test_import_of_an_identical_register_keeps_approval(service: PrivacyService) -> None:
    record = service.create_draft(CLIENT, "anna")
    service.review.submit(record.id, "anna")
    service.review.approve(record.id, "bram")
    service.import_register(WEBSHOP, "anna")
    assert service.review.get(record.id).status == APPROVED


@pytest.fixture
def sourced(tmp_path: Path) -> Iterator[tuple[PrivacyService, dict[str, str]]]:
    """A register citing document doc-1, and the document hashes standing in for the knowledge base."""
    hashes = {"doc-1": "aaa"}
    service = PrivacyService(tmp_path / "data", current_hashes=lambda scopes: dict(hashes))
    register = import_register(WEBSHOP)
    register.activity("Bestellingen").sources.append(
        SourceRef(
            "Procesbeschrijving orderafhandeling", 2, "Wij bewaren ...", doc_id="doc-1", content_hash="aaa"
        )
    )
    service.save_register(register, "anna")
    yield service, hashes
    service.close()


def _approved(service: PrivacyService) -> DraftRecord:
    record = service.create_draft(CLIENT, "anna")
    service.review.submit(record.id, "anna")
    return service.review.approve(record.id, "bram")


def test_changed_source_document_marks_draft_verouderd(
    sourced: tuple[PrivacyService, dict[str, str]],
) -> None:
    """Documents are compared by content hash; the hashes here stand in for the knowledge base."""
    service, hashes = sourced
    record = _approved(service)
    assert service.review.version(record.id).sources == {
        "doc-1": {"document": "Procesbeschrijving orderafhandeling", "hash": "aaa"}
    }
    hashes["doc-1"] = "bbb"
    [listed] = service.drafts(CLIENT)
    assert listed.status == STALE
    assert listed.stale_reasons == ["Bron gewijzigd: Procesbeschrijving orderafhandeling"]


def test_listing_and_opening_drafts_write_nothing(sourced: tuple[PrivacyService, dict[str, str]]) -> None:
    """Staleness is computed on read; only an explicit update (register, document change) stores it."""
    service, hashes = sourced
    record = _approved(service)
    hashes["doc-1"] = "bbb"  # the document changed; nothing told the drafts yet

    def stored() -> tuple[list[dict[str, object]], list[object]]:
        rows = [dict(r) for r in service.review.db.query("SELECT * FROM drafts")]
        return rows, service.audit_trail(CLIENT)

    before = stored()
    for _ in range(2):
        [listed] = service.drafts(CLIENT)
        assert listed.status == STALE  # shown as it is now
        assert listed.stale_reasons == ["Bron gewijzigd: Procesbeschrijving orderafhandeling"]
        assert [r.status for r in service.drafts()] == [STALE]
        assert service.view(record.id).record.status == STALE
        assert service.export_info(record.id).status == "verouderd"
    assert stored() == before  # same rows, same updated_at, no trail entry
    assert service.review.get(record.id).status == APPROVED

    service.refresh_staleness(CLIENT)  # the explicit update path stores it, once
    assert service.review.get(record.id).status == STALE
    assert [e.action for e in service.audit_trail(CLIENT, record.id)][-1] == "verouderd"
    after = stored()
    service.drafts(CLIENT)
    assert stored() == after


def test_export_info_and_files(service: PrivacyService, tmp_path: Path) -> None:
    record = service.create_draft(CLIENT, "anna")
    service.review.submit(record.id, "anna")
    service.review.approve(record.id, "bram")
    info = service.export_info(record.id)
    # no login name in an export: without a display name the approver is left out
    assert (info.status, info.version, info.approved_by) == ("goedgekeurd", 1, "")
    markdown = service.export_markdown(record.id)
    assert markdown.startswith("# Privacyverklaring Webshop Zonnig B.V.\n\n_Versie 1, goedgekeurd, ")
    path = service.export_docx(record.id, tmp_path / "verklaring.docx")
    assert path.stat().st_size > 10_000


def test_reverting_the_register_makes_the_approval_current_again(service: PrivacyService) -> None:
    record = service.create_draft(CLIENT, "anna")
    service.review.submit(record.id, "anna")
    service.review.approve(record.id, "bram")
    register = service.register(CLIENT)
    register.activity("Nieuwsbrief").retention = ""
    service.save_register(register, "anna")
    stale = service.review.get(record.id)
    assert stale.status == STALE
    assert stale.stale_reasons == [
        "Gewijzigd: Verwerking 'Nieuwsbrief' — bewaartermijn: 'tot u zich afmeldt voor de nieuwsbrief' → ''"
    ]
    service.import_register(WEBSHOP, "anna")
    current = service.review.get(record.id)
    assert current.status == APPROVED and current.stale_reasons == []
    assert [e.action for e in service.audit_trail(CLIENT, record.id)][-2:] == ["verouderd", "weer actueel"]
