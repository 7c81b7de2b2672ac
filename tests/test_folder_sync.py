"""Incremental sync of a folder: unchanged skipped, changed versioned, deleted retired."""

from __future__ import annotations

from pathlib import Path

from assistant.app import App
from assistant.features.documents.folder_sync import sync_folder
from assistant.features.documents.ingest import IngestProgress
from assistant.features.documents.service import DocumentService
from knowledge.registry import STATUS_READY, STATUS_RETIRED

SCOPE = "klant:Webshop Noord"


class CountingProgress(IngestProgress):
    """Records which files were parsed and indexed."""

    def __init__(self) -> None:
        self.started: list[str] = []

    def file_started(self, path: Path, chunk_count: int) -> None:
        self.started.append(path.name)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sync_follows_the_folder(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "klantmap"
    _write(folder, "bewaren.md", "# Bewaren\n\nKlantgegevens bewaren wij zeven jaar.\n")
    _write(folder, "beveiliging.md", "# Beveiliging\n\nLaptops zijn versleuteld met BitLocker.\n")
    _write(folder, "sub/camera.md", "# Camera\n\nBeelden van de winkelcamera bewaren wij vier weken.\n")
    _write(folder, "notities.xyz", "geen ondersteund bestand")
    outside = _write(tmp_path / "elders", "los.md", "# Los\n\nEen document buiten de map.\n")
    docs = DocumentService(app.kb, audit=app.audit)
    docs.add_files([outside], SCOPE, actor="test")

    first = sync_folder(docs, folder, SCOPE, actor="test")
    assert (first.count("nieuw"), first.count("overgeslagen"), first.retired) == (3, 1, [])

    _write(folder, "bewaren.md", "# Bewaren\n\nKlantgegevens bewaren wij twee jaar.\n")
    (folder / "beveiliging.md").unlink()
    _write(folder, "kapot.pdf", "geen pdf")
    progress = CountingProgress()
    second = sync_folder(docs, folder, SCOPE, progress=progress, actor="test")
    assert (second.count("nieuw"), second.count("bijgewerkt"), second.count("ongewijzigd")) == (0, 1, 1)
    assert second.retired == ["Beveiliging"]
    assert progress.started == ["bewaren.md"]  # the unchanged camera note was not parsed again
    assert "kapot.pdf" in second.summary()

    records = {r.title: r for r in app.kb.registry.list(scope=SCOPE)}
    assert records["Bewaren"].version == 2 and records["Bewaren"].status == STATUS_READY
    assert records["Beveiliging"].status == STATUS_RETIRED
    assert [v.status for v in app.kb.versions.list(records["Beveiliging"].id)] == ["ingetrokken"]
    assert records["Los"].status == STATUS_READY  # documents from elsewhere are never touched
    texts = [
        c.text for c in app.retriever.retrieve("Zijn laptops versleuteld met BitLocker?", [SCOPE]).chunks
    ]
    assert all("BitLocker" not in t for t in texts)
    ready = [r for r in records.values() if r.status == STATUS_READY]
    assert app.kb.vectors.count(SCOPE) == sum(r.chunk_count for r in ready)

    _write(folder, "beveiliging.md", "# Beveiliging\n\nLaptops zijn versleuteld met BitLocker.\n")
    third = sync_folder(docs, folder, SCOPE, actor="test")
    assert third.count("bijgewerkt") == 1  # back in the folder: a new version of the same document
    restored = app.kb.registry.by_id(records["Beveiliging"].id)
    assert restored is not None and (restored.status, restored.version) == (STATUS_READY, 2)
    assert (
        "BitLocker"
        in app.retriever.retrieve("Zijn laptops versleuteld met BitLocker?", [SCOPE]).chunks[0].text
    )


def test_sync_after_plain_ingest_sees_the_same_documents(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "klantmap"
    _write(folder, "bewaren.md", "# Bewaren\n\nKlantgegevens bewaren wij zeven jaar.\n")
    app.ingest.ingest([folder], SCOPE, actor="test")
    report = sync_folder(DocumentService(app.kb, audit=app.audit), folder, SCOPE, actor="test")
    assert (report.count("ongewijzigd"), report.count("nieuw"), report.retired) == (1, 0, [])
