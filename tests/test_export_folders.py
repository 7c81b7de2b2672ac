"""Files the web UI hands out live in private, swept folders — never left behind in /tmp."""

from __future__ import annotations

import stat
import tempfile
from pathlib import Path

from assistant.app import build_app
from assistant.features.accounts.users import Role, User
from assistant.features.audit.log import AuditFilter
from assistant.interfaces.web import export_folders
from assistant.interfaces.web.export_folders import ExportFolders
from assistant.interfaces.web.tabs.admin import AdminActions
from assistant.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_export_gets_a_private_folder_that_is_swept_after_its_time() -> None:
    clock = Clock()
    folders = ExportFolders(ttl_s=60.0, clock=clock)
    try:
        first = folders.new("avg-check-")
        (first / "rapport.docx").write_bytes(b"klantgegevens")
        assert stat.S_IMODE(first.stat().st_mode) == 0o700
        assert first.parent.name.startswith("avg-exports-")
        assert Path(tempfile.gettempdir()) in first.parents
        clock.now += 30
        second = folders.new("avg-register-")
        assert first.exists() and second.exists()  # still within its time: gradio may be copying it
        clock.now += 45
        third = folders.new("avg-sjabloon-")
        assert not first.exists()  # 75 s old: removed
        assert second.exists() and third.exists()
        assert folders.live() == [second, third]
        root = third.parent
    finally:
        folders.clear()
    assert not root.exists()


def test_a_removed_root_is_made_again() -> None:
    folders = ExportFolders()
    try:
        first = folders.new("x-")
        folders.clear()
        second = folders.new("y-")
        assert second.is_dir() and not first.exists()
    finally:
        folders.clear()


def test_the_audit_export_of_the_beheer_tab_is_written_to_a_swept_folder(
    tmp_path: Path,
    embedder,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    clock = Clock()
    folders = ExportFolders(ttl_s=10.0, clock=clock)
    monkeypatch.setattr("assistant.interfaces.web.tabs.admin.EXPORT_FOLDERS", folders)
    assert export_folders.EXPORT_FOLDERS is not folders
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        app.users.add("bea", "beheerder", "een-lang-en-sterk-wachtwoord-42")
        actions = AdminActions(app)
        bea = User("bea", Role.BEHEERDER)
        path = actions.export(bea, AuditFilter())
        assert path.is_file() and path.read_text(encoding="utf-8").strip()
        assert path.parent in folders.live()
        clock.now += 11
        later = actions.export(bea, AuditFilter())
        assert not path.exists() and later.is_file()
    finally:
        app.close()
        folders.clear()
