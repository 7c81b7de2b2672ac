"""Measure the Compliancy Check on client dossiers with a consultant's answer key.

A dossier is a folder with the client's documents and ``antwoordsleutel.yaml``::

    klant: Thuiszorg De Linde
    sector: thuiszorg
    register: register.yaml           # optional, register import format
    peildatum: 2026-11-20             # optional: the date the statuses hold (periodic activities)
    verklaring: privacyverklaring.md  # optional, the client's own statement
    statussen: {GOV-01: voldoet, ...} # the consultant's status per checklist question
    geplante_gaten:
      - {id: G01, soort: checklist, vraag: DPIA-02}
      - {id: G02, soort: register, activiteit: Cliëntdossier, veld: bewaartermijn}
      - {id: G03, soort: concept, element: bewaartermijnen}
      - {id: G04, soort: volledigheid, element: rechten}

Per dossier a throwaway data dir (or the given one) gets the documents (the client's own statement among
them, as a consultant receives it: the check reads it for the transparency questions), the register
(imported), a drafted privacyverklaring (when there is a register), the check and the completeness checks.
A planted gap is *caught* when: checklist — the check says voldoet niet/deels for ``vraag``; register —
what the tool shows the consultant about the register names the activity and the field: a warning of the
register, or the check's register question (REG-02) when it is a gap (its cross-checks name recipients the
documents mention but the register lacks); an organisation-level field (``fg``) is named by a warning
about the organisation, which names no activity; concept — the draft's section for ``element`` has an
``[AANVULLEN`` placeholder or the completeness check of the draft marks it ontbreekt/zwak; volledigheid —
the completeness check of the client's own statement marks it ontbreekt/zwak. Checklist recall: the
consultant's gaps (voldoet niet/deels) the check flags; precision: flagged questions the consultant also
calls a gap. Questions the consultant calls *niet van toepassing* count on neither side.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.app import build_app, build_embedder
from assistant.features.check.model import STATUS_FAILS, STATUS_NOT_APPLICABLE, STATUS_PARTIAL
from assistant.features.privacy.errors import RegisterError
from assistant.settings import Settings
from ingestion.errors import ConfigError
from knowledge.embeddings import IdentifiedEmbeddings
from knowledge.scopes import client_scope
from knowledge.text_analysis import fold

KEY_FILE = "antwoordsleutel.yaml"
ACTOR = "evaluatie"
GAP = (STATUS_FAILS, STATUS_PARTIAL)
WEAK_OR_MISSING = ("ontbreekt", "zwak")
#: Register field (answer key) → words of the register warning that names it.
FIELD_WORDS = {
    "doel": "doel",
    "grondslag": "grondslag",
    "gegevens": "categorieen persoonsgegevens",
    "betrokkenen": "betrokkenen",
    "bewaartermijn": "bewaartermijn",
    "doorgiften": "doorgifte",
    "waarborg": "waarborg",
    "ontvangers": "ontvanger",
    "gerechtvaardigd_belang": "belang",
    "uitzondering_art9": "art. 9",
    "bijzondere_gegevens": "art. 9",
}
#: Register fields of the organisation, not of an activity: a warning about the organisation names them.
ORGANISATION_FIELDS = {"fg": "organisatie"}
#: The checklist question about the register's completeness; its rationale names activities and fields.
REGISTER_QUESTION = "REG-02"


@dataclass
class GapResult:
    """One planted gap and whether the tool caught it."""

    id: str
    kind: str
    target: str
    caught: bool
    how: str = ""


@dataclass
class DossierResult:
    """The measurement of one dossier."""

    client: str
    folder: str
    gaps: list[GapResult] = field(default_factory=list)
    consultant_gaps: int = 0
    flagged: int = 0
    both: int = 0
    missed_questions: list[str] = field(default_factory=list)
    false_flags: list[str] = field(default_factory=list)
    #: Why the dossier's register could not be imported ("" when it was): the check ran without it.
    register_error: str = ""

    @property
    def caught(self) -> int:
        """Planted gaps caught."""
        return sum(g.caught for g in self.gaps)

    @property
    def recall(self) -> float:
        """Consultant gaps the check flags."""
        return self.both / self.consultant_gaps if self.consultant_gaps else 1.0

    @property
    def precision(self) -> float:
        """Flagged questions that the consultant also calls a gap."""
        return self.both / self.flagged if self.flagged else 1.0

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            **asdict(self),
            "gevangen": self.caught,
            "geplant": len(self.gaps),
            "recall": round(self.recall, 3),
            "precisie": round(self.precision, 3),
        }


def load_key(folder: Path) -> dict[str, Any]:
    """The dossier's answer key; a Dutch error when it is missing or malformed."""
    path = folder / KEY_FILE
    if not path.is_file():
        raise ConfigError(f"In {folder} staat geen {KEY_FILE}.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is geen geldige YAML: {exc}") from exc
    if not isinstance(data, dict) or not data.get("klant"):
        raise ConfigError(f"{path} moet minstens 'klant' noemen.")
    return data


def reference_date(key: dict[str, Any], folder: Path) -> date | None:
    """The key's ``peildatum`` (the date its statuses hold), None when it gives none; a Dutch error when bad.

    The check compares the last record of a periodic activity (an evaluation, a restore test) with
    this date instead of today, so a dossier measures the same next year.
    """
    value = key.get("peildatum")
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ConfigError(
            f"{folder / KEY_FILE}: 'peildatum' moet een datum zijn als 2026-11-20, niet '{value}'."
        ) from exc


def evaluate_dossier(
    folder: Path,
    embedder: IdentifiedEmbeddings | None = None,
    data_dir: Path | None = None,
) -> DossierResult:
    """Run the tool on one dossier and compare it with its answer key."""
    folder = Path(folder)
    key = load_key(folder)
    client = str(key["klant"]).strip()
    special = {KEY_FILE, str(key.get("register") or "")}
    documents = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in special and not p.name.startswith(".")
    ]
    documents = [p for p in documents if not p.name.lower().startswith("readme")]
    target = data_dir or Path(tempfile.mkdtemp(prefix="avg-evaluatie-"))
    settings = Settings(data_dir=target, chroma_url=None, llm_backend="none", load_starter_pack=False)
    app = build_app(settings, embedder=embedder)
    try:
        app.ingest.ingest(documents, client_scope(client), actor=ACTOR)
        problems: list[str] = []
        draft_report = None
        draft_sections: dict[str, str] = {}
        register_error = ""
        imported = False
        if key.get("register"):
            try:
                app.privacy.import_register(folder / str(key["register"]), ACTOR, client=client)
                imported = True
            except RegisterError as exc:  # the check runs without it, as a consultant's first run would
                register_error = str(exc)
        if imported:
            problems = [fold(str(p)) for p in app.privacy.problems(client)]
            record = app.privacy.create_draft(client, ACTOR)
            draft_report = app.privacy.check_draft(record.id)
            draft = app.privacy.view(record.id).draft
            draft_sections = {s.key: s.text for s in draft.sections}
        own_report = None
        if key.get("verklaring"):
            own_report = app.privacy.check_file(folder / str(key["verklaring"]), client)
        app.check.reference_date = reference_date(key, folder)
        run = app.check.run(client, ACTOR)
        reviewed = app.check.reviewed(run)
        statuses = {a.question_id: a.status for a in reviewed}
        problems += [
            fold(a.rationale) for a in reviewed if a.question_id == REGISTER_QUESTION and a.status in GAP
        ]
    finally:
        app.close()
        if data_dir is None:  # a throw-away knowledge base: client documents do not linger in /tmp
            shutil.rmtree(target, ignore_errors=True)

    result = DossierResult(client, str(folder), register_error=register_error)
    for gap in key.get("geplante_gaten") or []:
        kind = str(gap.get("soort", "checklist"))
        if kind == "checklist":
            question = str(gap.get("vraag", ""))
            status = statuses.get(question, "")
            result.gaps.append(GapResult(str(gap.get("id")), kind, question, status in GAP, status))
        elif kind == "register":
            activity, fieldname = str(gap.get("activiteit", "")), str(gap.get("veld", ""))
            words = fold(FIELD_WORDS.get(fieldname, fieldname.replace("_", " ")))
            where = ORGANISATION_FIELDS.get(fieldname)
            hits = [
                p
                for p in problems
                if words in p and (fold(activity) in p or (where is not None and p.startswith(where)))
            ]
            result.gaps.append(
                GapResult(
                    str(gap.get("id")), kind, f"{activity}/{fieldname}", bool(hits), hits[0] if hits else ""
                )
            )
        elif kind == "concept":
            element = str(gap.get("element", ""))
            placeholder = "[AANVULLEN" in draft_sections.get(element, "")
            status = draft_report.status(element) if draft_report and _has(draft_report, element) else ""
            caught = placeholder or status in WEAK_OR_MISSING
            how = "[AANVULLEN" if placeholder else status
            result.gaps.append(GapResult(str(gap.get("id")), kind, element, caught, how))
        else:
            element = str(gap.get("element", ""))
            status = own_report.status(element) if own_report and _has(own_report, element) else ""
            result.gaps.append(
                GapResult(str(gap.get("id")), kind, element, status in WEAK_OR_MISSING, status)
            )

    for question, expected in (key.get("statussen") or {}).items():
        expected = str(expected).strip()
        if expected == STATUS_NOT_APPLICABLE:
            continue
        got = statuses.get(str(question), "")
        consultant_gap, flagged = expected in GAP, got in GAP
        result.consultant_gaps += consultant_gap
        result.flagged += flagged
        result.both += consultant_gap and flagged
        if consultant_gap and not flagged:
            result.missed_questions.append(f"{question} ({got or 'geen antwoord'})")
        if flagged and not consultant_gap:
            result.false_flags.append(f"{question} (consultant: {expected})")
    return result


def _has(report: Any, element: str) -> bool:
    return any(r.key == element for r in report.results)


def evaluate(
    folders: list[Path], settings: Settings | None = None, data_dir: Path | None = None
) -> list[DossierResult]:
    """Evaluate every dossier (one embedder for all; a data dir per dossier)."""
    embedder = build_embedder(settings or Settings())
    results = []
    for index, folder in enumerate(folders):
        own = data_dir / f"dossier-{index + 1}" if data_dir else None
        results.append(evaluate_dossier(folder, embedder, own))
    return results


def totals(results: list[DossierResult]) -> dict[str, float]:
    """Planted gaps caught, checklist recall and precision over all dossiers."""
    planted = sum(len(r.gaps) for r in results)
    caught = sum(r.caught for r in results)
    gaps = sum(r.consultant_gaps for r in results)
    flagged = sum(r.flagged for r in results)
    both = sum(r.both for r in results)
    return {
        "gevangen": caught,
        "geplant": planted,
        "gevangen_aandeel": round(caught / planted, 3) if planted else 1.0,
        "recall": round(both / gaps, 3) if gaps else 1.0,
        "precisie": round(both / flagged, 3) if flagged else 1.0,
    }


def table(results: list[DossierResult]) -> str:
    """A Dutch Markdown table per dossier plus the total, and what was missed."""
    lines = [
        "| Dossier | Geplante gaten gevangen | Checklist recall | Checklist precisie |",
        "|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.client} | {r.caught}/{len(r.gaps)} | {_pct(r.recall)} ({r.both}/{r.consultant_gaps}) | "
            f"{_pct(r.precision)} ({r.both}/{r.flagged}) |"
        )
    t = totals(results)
    lines.append(
        f"| **Totaal** | {int(t['gevangen'])}/{int(t['geplant'])} ({_pct(t['gevangen_aandeel'])}) | "
        f"{_pct(t['recall'])} | {_pct(t['precisie'])} |"
    )
    for r in results:
        if r.register_error:
            lines.append(f"\n{r.client} — register niet ingelezen, de check liep zonder: {r.register_error}")
        missed = [f"{g.id} ({g.kind}: {g.target})" for g in r.gaps if not g.caught]
        if missed:
            lines.append(f"\n{r.client} — gemiste geplante gaten: {', '.join(missed)}")
        if r.missed_questions:
            lines.append(f"{r.client} — gemist op de checklist: {', '.join(r.missed_questions)}")
        if r.false_flags:
            lines.append(f"{r.client} — ten onrechte als gat: {', '.join(r.false_flags)}")
    return "\n".join(lines)


def _pct(value: float) -> str:
    return re.sub(r"\.0$", "", f"{100 * value:.1f}").replace(".", ",") + "%"
