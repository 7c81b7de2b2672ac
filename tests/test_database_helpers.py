"""The shared helpers for short-lived SQLite stores: create_store and short_transaction."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from knowledge.database import create_store, short_transaction
from knowledge.migrations import Migrations, script

ITEMS = "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
SCHEMA = Migrations("items", [script("base_schema", ITEMS)])


def _names(path: Path) -> list[str]:
    with short_transaction(path) as conn:
        return [row["name"] for row in conn.execute("SELECT name FROM items ORDER BY id")]


def test_commits_on_success(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    create_store(path, SCHEMA)
    with short_transaction(path, immediate=True) as conn:
        conn.execute("INSERT INTO items (name) VALUES ('a')")
        assert conn.in_transaction
    assert _names(path) == ["a"]


def test_rolls_back_on_exception(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    create_store(path, SCHEMA)
    with pytest.raises(RuntimeError), short_transaction(path) as conn:
        conn.execute("INSERT INTO items (name) VALUES ('a')")
        conn.execute("INSERT INTO items (name) VALUES ('b')")
        raise RuntimeError("boom")
    assert _names(path) == []


def test_prepare_registers_a_function(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    create_store(path, SCHEMA)

    def prepare(conn: sqlite3.Connection) -> None:
        conn.create_function("double_it", 1, lambda x: 2 * x, deterministic=True)

    with short_transaction(path, prepare=prepare) as conn:
        assert conn.execute("SELECT double_it(21)").fetchone()[0] == 42


def test_foreign_keys_are_on_by_default(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    create_store(path, SCHEMA)
    with short_transaction(path) as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with short_transaction(path, foreign_keys=False) as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0


def test_create_store_makes_a_private_new_file_and_reports_existing_names(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "store.sqlite3"
    assert create_store(path, SCHEMA, private=True) == set()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with short_transaction(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert create_store(path, SCHEMA, private=True) == {"items"}


def test_create_store_leaves_an_existing_file_mode_and_journal_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    create_store(path, SCHEMA, wal=False, private=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    with short_transaction(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
