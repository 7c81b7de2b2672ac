"""Use case: how well the completeness check agrees with a consultant (``privacy toets-evaluatie``).

A folder holds real privacy statements, each as ``<naam>.<ext>`` (Markdown, text, HTML, PDF or
DOCX) with its labels in ``<naam>.labels.yaml``::

    elementen:
      identiteit: aanwezig
      bewaartermijnen: zwak
      doorgifte: niet van toepassing

Each statement is checked as an uploaded file (no register), and the check's status per element
is compared with the label. The report gives the agreement per element and overall, how often the
check was milder or stricter than the consultant, and how many gaps ``[AANVULLEN: …]`` counted as
"aanwezig" (must be zero).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from assistant.features.privacy.completeness import (
    ELEMENT_KEYS,
    ELEMENTS,
    MISSING,
    NOT_APPLICABLE,
    PRESENT,
    WEAK,
    SemanticRule,
    check_file,
)
from ingestion.errors import ConfigError

if TYPE_CHECKING:
    from knowledge.embeddings import IdentifiedEmbeddings

STATUSES: tuple[str, ...] = (PRESENT, WEAK, MISSING, NOT_APPLICABLE)
LABELS_SUFFIX = ".labels.yaml"
STATEMENT_SUFFIXES: tuple[str, ...] = (".md", ".txt", ".html", ".htm", ".pdf", ".docx")
#: How much an element asks of the statement: a check above the label is milder than the consultant.
_LENIENCY = {PRESENT: 3, NOT_APPLICABLE: 3, WEAK: 2, MISSING: 1}


@dataclass(frozen=True)
class Labelled:
    """A statement file with the consultant's label per element."""

    name: str
    path: Path
    labels: dict[str, str]


@dataclass(frozen=True)
class Difference:
    """One element where the check and the consultant disagree."""

    statement: str
    element: str
    label: str
    found: str
    note: str


@dataclass
class StatementEvaluation:
    """Agreement of the completeness check with the labels."""

    statements: int = 0
    per_element: dict[str, tuple[int, int]] = field(default_factory=dict)  # key → (agree, total)
    differences: list[Difference] = field(default_factory=list)
    milder: int = 0
    stricter: int = 0
    placeholder_present: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def agreed(self) -> int:
        """Elements where check and label agree."""
        return sum(a for a, _ in self.per_element.values())

    @property
    def total(self) -> int:
        """Labelled elements."""
        return sum(t for _, t in self.per_element.values())

    @property
    def agreement(self) -> float:
        """Share of labelled elements where the check agrees (0 when nothing was labelled)."""
        return self.agreed / self.total if self.total else 0.0

    def to_json(self, totals_only: bool = False) -> dict[str, Any]:
        """A JSON-ready dictionary (``totals_only``: without the per-element differences)."""
        differences = [] if totals_only else [d.__dict__ for d in self.differences]
        return {
            "verklaringen": self.statements,
            "overeenstemming": round(self.agreement, 4),
            "gelijk": self.agreed,
            "elementen": self.total,
            "milder": self.milder,
            "strenger": self.stricter,
            "plek_als_aanwezig": self.placeholder_present,
            "per_element": {k: {"gelijk": a, "totaal": t} for k, (a, t) in self.per_element.items()},
            "verschillen": differences,
        }


def load_labelled(folder: Path) -> list[Labelled]:
    """Every labelled statement in ``folder``; Dutch errors for a missing file or a bad label."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"Map {folder} bestaat niet.")
    found: list[Labelled] = []
    for labels_path in sorted(folder.glob(f"*{LABELS_SUFFIX}")):
        name = labels_path.name[: -len(LABELS_SUFFIX)]
        statement = next(
            (folder / f"{name}{s}" for s in STATEMENT_SUFFIXES if (folder / f"{name}{s}").exists()), None
        )
        if statement is None:
            raise ConfigError(f"Bij {labels_path.name} hoort geen verklaring ({name}.md, .html, .pdf, …).")
        found.append(Labelled(name, statement, _labels(labels_path)))
    if not found:
        raise ConfigError(f"Map {folder} bevat geen gelabelde verklaringen (*{LABELS_SUFFIX}).")
    return found


def _labels(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path.name} is geen leesbare YAML: {exc}") from exc
    elements = data.get("elementen") if isinstance(data, dict) else None
    if not isinstance(elements, dict):
        raise ConfigError(f"{path.name} mist 'elementen: {{sleutel: status}}'.")
    labels: dict[str, str] = {}
    for key, status in elements.items():
        status = " ".join(str(status).split()).lower()
        if key not in ELEMENT_KEYS:
            raise ConfigError(f"{path.name}: onbekend element '{key}' (bekend: {', '.join(ELEMENT_KEYS)}).")
        if status not in STATUSES:
            raise ConfigError(f"{path.name}: onbekende status '{status}' bij {key} ({' | '.join(STATUSES)}).")
        labels[str(key)] = status
    return labels


def evaluate_statements(
    folder: Path, embedder: IdentifiedEmbeddings | None = None, rule: SemanticRule | None = None
) -> StatementEvaluation:
    """Check every labelled statement in ``folder`` and compare with its labels."""
    result = StatementEvaluation()
    for item in load_labelled(folder):
        report = check_file(item.path, None, embedder, rule)
        result.statements += 1
        result.placeholder_present += sum(1 for k in report.gapped if report.status(k) == PRESENT)
        for key, label in item.labels.items():
            found = report.status(key)
            agree, total = result.per_element.get(key, (0, 0))
            result.per_element[key] = (agree + (found == label), total + 1)
            result.confusion[(label, found)] += 1
            if found != label:
                result.differences.append(Difference(item.name, key, label, found, report.result(key).note))
                if _LENIENCY[found] > _LENIENCY[label]:
                    result.milder += 1
                elif _LENIENCY[found] < _LENIENCY[label]:
                    result.stricter += 1
    result.per_element = {k: result.per_element[k] for k in ELEMENT_KEYS if k in result.per_element}
    return result


def format_statement_evaluation(result: StatementEvaluation, totals_only: bool = False) -> str:
    """A Dutch text report: overall agreement, per element, and the differences.

    ``totals_only`` leaves out which statement differs where: a held-out set stays blind to whoever tunes
    the check (they see how often, not on which sentences).
    """
    labels = {e.key: e.label for e in ELEMENTS}
    lines = [
        f"Verklaringen: {result.statements}; elementen gelabeld: {result.total}",
        f"Overeenstemming met de consultant: {result.agreed}/{result.total} ({result.agreement:.0%})",
        f"Milder dan de consultant: {result.milder}; strenger: {result.stricter}",
        f"Open plekken [AANVULLEN] als 'aanwezig' geteld: {result.placeholder_present}",
        "",
        "Per element:",
    ]
    for key, (agree, total) in result.per_element.items():
        lines.append(f"- {labels[key]} ({key}): {agree}/{total}")
    if result.differences and totals_only:
        lines += ["", f"Verschillen: {len(result.differences)} (niet getoond: --alleen-totalen)"]
    elif result.differences:
        lines += ["", "Verschillen (verklaring · element: label → toets):"]
        for d in result.differences:
            lines.append(
                f"- {d.statement} · {d.element}: {d.label} → {d.found}" + (f" ({d.note})" if d.note else "")
            )
    return "\n".join(lines)
