"""A register as a flat list of facts: what a draft was built from, to hash and compare later.

Each fact is one line ``<label>: <value>`` with a readable Dutch label ("Verwerking 'Nieuwsbrief' —
bewaartermijn"). A draft version stores these lines and their hash; when the register changes,
comparing the lines says exactly what changed. Evidence references (``bronnen``) are not facts:
documents are tracked by their content hashes instead.
"""

from __future__ import annotations

import hashlib
from typing import Any

from assistant.features.privacy.model import Register

_SKIPPED = {"bronnen"}


def register_facts(register: Register) -> list[str]:
    """The register's facts as ``label: value`` lines, in a stable order."""
    data = register.to_dict()
    lines: list[str] = []
    for key, value in data["organisatie"].items():
        if key == "fg":
            for fg_key, fg_value in value.items():
                lines.append(f"Organisatie — fg {fg_key}: {fg_value}")
        else:
            lines.append(f"Organisatie — {key}: {value}")
    for activity in data["verwerkingen"]:
        prefix = f"Verwerking '{activity['naam']}'"
        for key, value in activity.items():
            if key in _SKIPPED or key == "naam":
                continue
            lines.append(f"{prefix} — {key.replace('_', ' ')}: {_flat(value)}")
    return lines


def facts_hash(lines: list[str]) -> str:
    """SHA-256 of the fact lines."""
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def fact_changes(old: list[str], new: list[str]) -> list[str]:
    """Dutch lines describing how ``new`` differs from ``old``."""
    before = dict(_split(line) for line in old)
    after = dict(_split(line) for line in new)
    changes: list[str] = []
    for label, value in after.items():
        if label not in before:
            if value:
                changes.append(f"Nieuw: {label}: '{value}'")
        elif before[label] != value:
            changes.append(f"Gewijzigd: {label}: '{before[label]}' → '{value}'")
    removed_activities: set[str] = set()
    for label, value in before.items():
        if label not in after:
            activity = label.partition(" — ")[0]
            if activity.startswith("Verwerking") and not any(k.startswith(activity + " — ") for k in after):
                if activity not in removed_activities:
                    removed_activities.add(activity)
                    changes.append(f"Verwijderd: {activity}")
            elif value:
                changes.append(f"Verwijderd: {label}: '{value}'")
    return changes


def _split(line: str) -> tuple[str, str]:
    label, _, value = line.partition(": ")
    return label, value


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in ("", None))
    return str(value)
