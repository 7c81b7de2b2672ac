"""Versioned JSON records: what a store writes into a JSON column carries its shape's version.

A record is a JSON object with ``"schema": N``. Rows written before records carried a version
(release 0.1) have none and are read as version 1. A record with a version this code does
not know was written by a newer release and is refused with a Dutch message.
"""

from __future__ import annotations

from typing import Any

from ingestion.errors import SchemaVersionError

VERSION_KEY = "schema"


def stamp(data: dict[str, Any], version: int) -> dict[str, Any]:
    """``data`` with its version, ready for ``json.dumps``."""
    return {VERSION_KEY: version, **{k: v for k, v in data.items() if k != VERSION_KEY}}


def unstamp(data: dict[str, Any], known: int, what: str) -> dict[str, Any]:
    """``data`` without its version key; refuses a version newer than ``known`` (none means 1)."""
    version = data.get(VERSION_KEY, 1)
    if not isinstance(version, int) or version < 1 or version > known:
        raise SchemaVersionError(
            f"Een opgeslagen {what} heeft versie {version}, maar deze versie van AVG-assistent kent "
            f"versie {known} als hoogste. Het is geschreven door een nieuwere versie; installeer die weer."
        )
    return {k: v for k, v in data.items() if k != VERSION_KEY}
