"""Export a Compliancy Check report as Markdown or Word (python-docx).

Both formats show the same sections: summary, score per theme with a bar chart drawn in
text (no chart library needed, and it survives copy-paste), the gap list, the action plan
with effort and cost, the comparison with the previous check, and every answer with its
evidence (document, page, quote) and review.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from assistant.features.check.report import (
    OUTCOME_IMPROVED,
    OUTCOME_REGRESSED,
    OUTCOME_SAME,
    CheckReport,
    ReportItem,
)

BAR_WIDTH = 20


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


def title_lines(report: CheckReport) -> list[str]:
    """Summary lines shared by both formats."""
    run = report.run
    lines = [
        f"Klant: {run.client}",
        f"Check {run.id} van {run.created_at[:10]}, uitgevoerd door {run.created_by}; "
        f"checklist versie {report.checklist_version}"
        + ("; voorstellen met taalmodel" if run.used_llm else "; voorstellen op basis van gevonden bewijs"),
        f"Totaalscore: {percent(report.overall)}",
        f"Gaten: {len(report.gaps)}; nog te beoordelen (onbekend): {len(report.open_items)}; "
        f"antwoorden nog niet beoordeeld door een consultant: {report.unreviewed} van {len(report.items)}",
        f"Actieplan: {days(report.total_days)} dagen × {money(report.day_rate)} = {money(report.total_cost)}",
    ]
    if report.previous is not None:
        lines.append(
            f"Vergeleken met check {report.previous.id} van {report.previous.created_at[:10]}: "
            f"{report.count(OUTCOME_IMPROVED)} verbeterd, {report.count(OUTCOME_REGRESSED)} verslechterd, "
            f"{report.count(OUTCOME_SAME)} gelijk"
        )
    return lines


def theme_rows(report: CheckReport) -> list[list[str]]:
    """Rows of the theme table: theme, score, bar, voldoet/deels/niet/onbekend."""
    return [
        [t.theme, percent(t.score), bar(t.score), f"{t.complies}/{t.partial}/{t.fails}/{t.unknown}"]
        for t in report.themes
    ]


def action_rows(report: CheckReport) -> list[list[str]]:
    """Rows of the action plan, ending with the total."""
    rows = [[a.question_id, a.theme, a.measure, days(a.effort_days), money(a.cost)] for a in report.actions]
    return [*rows, ["Totaal", "", "", days(report.total_days), money(report.total_cost)]]


def change_lines(report: CheckReport) -> list[str]:
    """One line per question whose status changed since the previous check."""
    return [
        f"{c.question_id}: {c.previous or '—'} → {c.current or '—'} ({c.outcome})"
        for c in report.changes
        if c.outcome != OUTCOME_SAME
    ]


def evidence_lines(item: ReportItem) -> list[str]:
    """The lines under one answer: status, review, rationale, notices, evidence, comments."""
    q, a = item.question, item.answer
    lines = [
        f"Thema: {q.theme}; artikelen: {', '.join(q.articles)}",
        f"Status: {a.status} ({a.proposal.label}; {a.review_state})",
    ]
    if a.reviewer:
        lines.append(f"Beoordeeld door {a.reviewer} op {a.reviewed_at}")
    lines.append(f"Toelichting: {a.rationale}")
    lines += [f"Let op: {notice}" for notice in a.proposal.notices]
    lines += [f"[{n}] {e.source_label()}: „{e.quote}”" for n, e in enumerate(a.evidence, start=1)]
    lines += [f"Opmerking: {comment}" for comment in a.comments]
    return lines


THEME_HEADERS = ["Thema", "Score", "Grafiek", "Voldoet/deels/niet/onbekend"]
ACTION_HEADERS = ["Vraag", "Thema", "Maatregel", "Dagen", "Kosten"]


def to_markdown(report: CheckReport) -> str:
    """The report as Markdown."""
    out = [f"# Compliancy Check — {report.run.client}", ""]
    out += [f"- {line}" for line in title_lines(report)]
    out += ["", "## Score per thema", "", *_md_table(THEME_HEADERS, theme_rows(report), code_column=2)]
    out += ["", "## Gaten", ""]
    out += [f"- **{i.question.id}** ({i.answer.status}) {i.question.question}" for i in report.gaps]
    if not report.gaps:
        out.append("_Geen gaten gevonden._")
    out += ["", "## Actieplan", "", *_md_table(ACTION_HEADERS, action_rows(report))]
    out += ["", f"Dagtarief: {money(report.day_rate)}."]
    if report.previous is not None:
        out += ["", "## Vergelijking met de vorige check", ""]
        out += [f"- {line}" for line in change_lines(report)]
        out += ["", f"{report.count(OUTCOME_SAME)} vragen zijn gelijk gebleven."]
    out += ["", "## Antwoorden en bewijs", ""]
    for item in report.items:
        out += [f"### {item.question.id} — {item.question.question}", ""]
        out += [f"- {line}" for line in evidence_lines(item)] + [""]
    return "\n".join(out).rstrip() + "\n"


def _md_table(headers: list[str], rows: list[list[str]], code_column: int = -1) -> list[str]:
    def cell(text: str, column: int) -> str:
        text = text.replace("|", "/").replace("\n", " ")
        return f"`{text}`" if column == code_column else text

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(t, i) for i, t in enumerate(row)) + " |" for row in rows]
    return lines


def to_docx(report: CheckReport, path: Path) -> Path:
    """Write the report as a Word document and return its path."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(f"Compliancy Check — {report.run.client}", level=0)
    for line in title_lines(report):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading("Score per thema", level=1)
    _docx_table(doc, THEME_HEADERS, theme_rows(report), right_aligned={1})
    doc.add_heading("Gaten", level=1)
    for item in report.gaps:
        text = f"{item.question.id} ({item.answer.status}): {item.question.question}"
        doc.add_paragraph(text, style="List Bullet")
    if not report.gaps:
        doc.add_paragraph("Geen gaten gevonden.")
    doc.add_heading("Actieplan", level=1)
    _docx_table(doc, ACTION_HEADERS, action_rows(report), right_aligned={3, 4})
    doc.add_paragraph(f"Dagtarief: {money(report.day_rate)}.")
    if report.previous is not None:
        doc.add_heading("Vergelijking met de vorige check", level=1)
        for line in change_lines(report):
            doc.add_paragraph(line, style="List Bullet")
        doc.add_paragraph(f"{report.count(OUTCOME_SAME)} vragen zijn gelijk gebleven.")
    doc.add_heading("Antwoorden en bewijs", level=1)
    for item in report.items:
        doc.add_heading(f"{item.question.id} — {item.question.question}", level=2)
        for line in evidence_lines(item):
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
