"""Export a Compliancy Check report as Markdown or Word, in the shape a client pays for.

Both formats show the same sections: scope and date, the documents examined (title, version,
date), a summary with the top risks, the score per theme (a bar drawn in text, which survives
copy-paste), the findings per theme with their evidence (polarity shown), the action plan ranked
by risk with article, effort and cost, what does not apply and why, and the comparison with the
previous check.

Until every answer is reviewed the report is a concept: Markdown opens with a CONCEPT line and
Word carries the CONCEPT header of :mod:`assistant.features.word_layout` on every page; neither
shows a total score. Login names never appear: a reviewer is named by the display name of the
account (``names``), or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from assistant.features.check.model import POLARITY_ADMITS_GAP
from assistant.features.check.report import (
    OUTCOME_IMPROVED,
    OUTCOME_REGRESSED,
    OUTCOME_SAME,
    CheckReport,
    ReportItem,
)
from assistant.features.word_layout import new_document

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

BAR_WIDTH = 20
CONCEPT_LINE = "CONCEPT — nog niet alle antwoorden zijn beoordeeld; geen eindscore, niet verspreiden."
NameLookup = Callable[[str], str]
_COMMENT = re.compile(r"^(?P<who>.+?) \((?P<at>[^)]*)\): (?P<text>.*)$", re.S)


def bar(score: float, width: int = BAR_WIDTH) -> str:
    """A text bar for a percentage: "██████████░░░░░░░░░░"."""
    filled = round(max(0.0, min(100.0, score)) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def money(amount: float) -> str:
    """Euros in Dutch notation: "€ 1.234,50" (whole euros without decimals)."""
    whole = round(amount, 2)
    text = f"{whole:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return "€ " + (text[:-3] if text.endswith(",00") else text)


def percent(value: float) -> str:
    """A percentage in Dutch notation: "62,5%"."""
    return f"{value:g}".replace(".", ",") + "%"


def days(value: float) -> str:
    """Days in Dutch notation: "1,5"."""
    return f"{value:g}".replace(".", ",")


def _no_names(_: str) -> str:
    return ""


def scope_lines(report: CheckReport, consultancy: str = "") -> list[str]:
    """Scope and date of the check."""
    run = report.run
    by = f" van {consultancy}" if consultancy else ""
    method = "voorstellen met taalmodel" if run.used_llm else "voorstellen op basis van gevonden bewijs"
    return [
        f"Klant: {run.client}",
        f"Check {run.id} van {run.created_at[:10]}; rapport van {date.today().isoformat()}",
        f"Reikwijdte: de documenten van de klant hieronder, getoetst aan de checklist{by} "
        f"(versie {report.checklist_version}, {len(report.items)} vragen); het verwerkingsregister en de "
        f"privacyverklaring in de assistent tellen mee waar zij een vraag beantwoorden; {method}.",
    ]


def summary_lines(report: CheckReport) -> list[str]:
    """The summary: score (only when final), counts, plan total, comparison."""
    lines = []
    if report.final:
        lines.append(f"Totaalscore: {percent(report.overall)} (alle antwoorden beoordeeld)")
    else:
        lines.append(
            f"Concept: {report.unreviewed} van {len(report.items)} antwoorden nog niet beoordeeld door een "
            "consultant; daarom geen totaalscore."
        )
    lines.append(
        f"Gaten: {len(report.gaps)}; nog te beoordelen (onbekend): {len(report.open_items)}; "
        f"niet van toepassing: {len(report.not_applicable)}"
    )
    lines.append(
        f"Actieplan: {days(report.total_days)} dagen × {money(report.day_rate)} = {money(report.total_cost)}"
    )
    if report.previous is not None:
        lines.append(
            f"Vergeleken met check {report.previous.id} van {report.previous.created_at[:10]}: "
            f"{report.count(OUTCOME_IMPROVED)} verbeterd, {report.count(OUTCOME_REGRESSED)} verslechterd, "
            f"{report.count(OUTCOME_SAME)} gelijk"
        )
    return lines


def top_risk_lines(report: CheckReport) -> list[str]:
    """The top risks, one line each."""
    return [
        f"{a.risk.upper()} — {a.question_id} ({a.status}): {a.question}"
        + (f" Betreft: {', '.join(a.subjects)}." if a.subjects else "")
        for a in report.top_risks()
    ]


def document_rows(report: CheckReport) -> list[list[str]]:
    """Rows of the documents examined: title, version, date."""
    return [[d.title, str(d.version), d.date] for d in report.documents]


def theme_rows(report: CheckReport) -> list[list[str]]:
    """Rows of the theme table: theme, score, bar, voldoet/deels/niet/onbekend, n.v.t."""
    return [
        [
            t.theme,
            percent(t.score) if t.total else "n.v.t.",
            bar(t.score) if t.total else "",
            f"{t.complies}/{t.partial}/{t.fails}/{t.unknown}",
            str(t.not_applicable),
        ]
        for t in report.themes
    ]


def action_rows(report: CheckReport) -> list[list[str]]:
    """Rows of the action plan (ranked by risk), ending with the total."""
    rows = [
        [a.risk, a.question_id, "; ".join(a.articles), a.measure, days(a.effort_days), money(a.cost)]
        for a in report.actions
    ]
    return [*rows, ["", "Totaal", "", "", days(report.total_days), money(report.total_cost)]]


def change_lines(report: CheckReport) -> list[str]:
    """One line per question whose status changed since the previous check."""
    return [
        f"{c.question_id}: {c.previous or '—'} → {c.current or '—'} ({c.outcome})"
        for c in report.changes
        if c.outcome != OUTCOME_SAME
    ]


def evidence_lines(item: ReportItem, names: NameLookup | None = None) -> list[str]:
    """The lines under one answer: status, review, rationale, notices, evidence (with polarity), comments."""
    names = names or _no_names
    q, a = item.question, item.answer
    lines = [
        f"Artikelen: {', '.join(q.articles)}",
        f"Status: {a.status} ({a.proposal.label}; {a.review_state})",
    ]
    if a.reviewed_at:
        who = names(a.reviewer)
        lines.append(f"Beoordeeld{f' door {who}' if who else ''} op {a.reviewed_at[:10]}")
    lines.append(f"Toelichting: {_without_logins(a.rationale, a.reviewer, names)}")
    lines += [f"Let op: {notice}" for notice in a.proposal.notices]
    for n, e in enumerate(a.evidence, start=1):
        mark = "bewijs dat het ontbreekt" if e.polarity == POLARITY_ADMITS_GAP else "bewijs"
        lines.append(f"[{n}] {e.source_label()} ({mark}): „{e.quote}”")
    for comment in a.comments:
        match = _COMMENT.match(comment)
        if match:
            who = names(match["who"])
            lines.append(f"Opmerking{f' van {who}' if who else ''}: {match['text']}")
        else:
            lines.append(f"Opmerking: {comment}")
    return lines


def _without_logins(text: str, reviewer: str, names: NameLookup) -> str:
    """A rejected proposal's rationale names the reviewer; show the display name or nobody."""
    if reviewer and reviewer in text:
        who = names(reviewer)
        return text.replace(f" door {reviewer}", f" door {who}" if who else "").replace(reviewer, who)
    return text


def themes_in_order(report: CheckReport) -> list[tuple[str, list[ReportItem]]]:
    """The applicable items grouped by theme, in checklist order."""
    groups: dict[str, list[ReportItem]] = {}
    for item in report.items:
        if item not in report.not_applicable:
            groups.setdefault(item.question.theme, []).append(item)
    return list(groups.items())


DOCUMENT_HEADERS = ["Document", "Versie", "Datum"]
THEME_HEADERS = ["Thema", "Score", "Grafiek", "Voldoet/deels/niet/onbekend", "N.v.t."]
ACTION_HEADERS = ["Risico", "Vraag", "Artikel", "Maatregel", "Dagen", "Kosten"]


def to_markdown(report: CheckReport, consultancy: str = "", names: NameLookup | None = None) -> str:
    """The report as Markdown."""
    out = [f"# Compliancy Check — {report.run.client}", ""]
    if not report.final:
        out += [f"> **{CONCEPT_LINE}**", ""]
    out += ["## Reikwijdte en datum", "", *[f"- {line}" for line in scope_lines(report, consultancy)]]
    out += ["", "## Onderzochte documenten", ""]
    out += _md_table(DOCUMENT_HEADERS, document_rows(report)) if report.documents else ["_Geen documenten._"]
    out += ["", "## Samenvatting", "", *[f"- {line}" for line in summary_lines(report)]]
    out += ["", "### Grootste risico's", ""]
    out += [f"{n}. {line}" for n, line in enumerate(top_risk_lines(report), start=1)] or ["_Geen gaten._"]
    out += ["", "## Score per thema", "", *_md_table(THEME_HEADERS, theme_rows(report), code_column=2)]
    out += ["", "## Gaten", ""]
    out += [f"- **{i.question.id}** ({i.answer.status}) {i.question.question}" for i in report.gaps]
    if not report.gaps:
        out.append("_Geen gaten gevonden._")
    out += ["", "## Actieplan (op risico)", "", *_md_table(ACTION_HEADERS, action_rows(report))]
    out += ["", f"Dagtarief: {money(report.day_rate)}. Kosten alleen voor werk dat nog niet is gedaan."]
    if report.not_applicable:
        out += ["", "## Niet van toepassing", ""]
        out += [f"- **{i.question.id}** {i.answer.rationale}" for i in report.not_applicable]
    if report.previous is not None:
        out += ["", "## Vergelijking met de vorige check", ""]
        out += [f"- {line}" for line in change_lines(report)]
        out += ["", f"{report.count(OUTCOME_SAME)} vragen zijn gelijk gebleven."]
    out += ["", "## Bevindingen per thema", ""]
    for theme, items in themes_in_order(report):
        out += [f"### {theme}", ""]
        for item in items:
            out += [f"#### {item.question.id} — {item.question.question}", ""]
            out += [f"- {line}" for line in evidence_lines(item, names)] + [""]
    if not report.final:
        out += ["", f"_{CONCEPT_LINE}_"]
    return "\n".join(out).rstrip() + "\n"


def _md_table(headers: list[str], rows: list[list[str]], code_column: int = -1) -> list[str]:
    def cell(text: str, column: int) -> str:
        text = text.replace("|", "/").replace("\n", " ")
        return f"`{text}`" if column == code_column and text else text

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(t, i) for i, t in enumerate(row)) + " |" for row in rows]
    return lines


def to_docx(report: CheckReport, path: Path, consultancy: str = "", names: NameLookup | None = None) -> Path:
    """Write the report as a Word document (shared A4 layout, CONCEPT header until reviewed)."""
    title = f"Compliancy Check — {report.run.client}"
    doc = new_document(
        title=title,
        subject="Compliancy Check AVG",
        author=consultancy,
        concept=not report.final,
    )
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(title, level=0)
    doc.add_heading("Reikwijdte en datum", level=1)
    for line in scope_lines(report, consultancy):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading("Onderzochte documenten", level=1)
    _docx_table(doc, DOCUMENT_HEADERS, document_rows(report), right_aligned={1})
    doc.add_heading("Samenvatting", level=1)
    for line in summary_lines(report):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading("Grootste risico's", level=2)
    for line in top_risk_lines(report) or ["Geen gaten."]:
        doc.add_paragraph(line, style="List Number")
    doc.add_page_break()  # type: ignore[no-untyped-call]
    doc.add_heading("Score per thema", level=1)
    _docx_table(doc, THEME_HEADERS, theme_rows(report), right_aligned={1, 4})
    doc.add_heading("Gaten", level=1)
    for item in report.gaps:
        text = f"{item.question.id} ({item.answer.status}): {item.question.question}"
        doc.add_paragraph(text, style="List Bullet")
    if not report.gaps:
        doc.add_paragraph("Geen gaten gevonden.")
    doc.add_heading("Actieplan (op risico)", level=1)
    _docx_table(doc, ACTION_HEADERS, action_rows(report), right_aligned={4, 5})
    doc.add_paragraph(f"Dagtarief: {money(report.day_rate)}. Kosten alleen voor werk dat nog niet is gedaan.")
    if report.not_applicable:
        doc.add_heading("Niet van toepassing", level=1)
        for item in report.not_applicable:
            doc.add_paragraph(f"{item.question.id}: {item.answer.rationale}", style="List Bullet")
    if report.previous is not None:
        doc.add_heading("Vergelijking met de vorige check", level=1)
        for line in change_lines(report):
            doc.add_paragraph(line, style="List Bullet")
        doc.add_paragraph(f"{report.count(OUTCOME_SAME)} vragen zijn gelijk gebleven.")
    doc.add_heading("Bevindingen per thema", level=1)
    for theme, items in themes_in_order(report):
        doc.add_heading(theme, level=2)
        for item in items:
            doc.add_heading(f"{item.question.id} — {item.question.question}", level=3)
            for line in evidence_lines(item, names):
                doc.add_paragraph(line, style="List Bullet" if line.startswith("[") else None)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _docx_table(
    doc: DocxDocument, headers: list[str], rows: list[list[str]], right_aligned: set[int]
) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for column, (cell, text) in enumerate(zip(table.add_row().cells, row, strict=True)):
            cell.text = text
            if column in right_aligned:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
