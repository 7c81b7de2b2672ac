"""Text views of a Compliancy Check for the web tab: table rows, answer details, summary (no gradio)."""

from __future__ import annotations

import html

from assistant.features.check.checklist import Checklist
from assistant.features.check.export import percent
from assistant.features.check.model import CheckRun, ReviewedAnswer
from assistant.features.check.report import CheckReport
from assistant.features.check.review import ReviewEvent

TABLE_HEADERS = ["Vraag", "Thema", "Status", "Voorstel", "Beoordeling", "Bewijs"]


def question_label(checklist: Checklist, question_id: str) -> str:
    """ "GOV-01 — Heeft de organisatie een privacybeleid …": the code with its question text."""
    text = next((q.question for q in checklist.questions if q.id == question_id), "")
    return f"{question_id} — {text}" if text else question_id


def question_choices(checklist: Checklist, ids: list[str]) -> list[tuple[str, str]]:
    """(label with question text, code) for a dropdown of questions."""
    return [(question_label(checklist, i), i) for i in ids]


def table_rows(checklist: Checklist, answers: list[ReviewedAnswer]) -> list[list[str]]:
    """One row per answer: code and question, theme, status, proposal, review state, evidence count."""
    themes = {q.id: q.theme for q in checklist.questions}
    return [
        [
            question_label(checklist, a.question_id),
            themes.get(a.question_id, ""),
            a.status,
            a.proposal.label,
            a.review_state,
            str(len(a.evidence)),
        ]
        for a in answers
    ]


def answer_markdown(checklist: Checklist, answer: ReviewedAnswer, history: list[ReviewEvent]) -> str:
    """The question, proposal, evidence and review history of one answer as Markdown."""
    question = checklist.get(answer.question_id)
    lines = [
        f"### {question.id} — {_md(question.question)}",
        f"*{_md(question.theme)}; {_md(', '.join(question.articles))}*",
        "",
        f"**Status:** {answer.status} ({_md(answer.proposal.label)}; {answer.review_state})",
        "",
        f"**Toelichting:** {_md(answer.rationale)}",
    ]
    lines += (
        ["", *[f"> Let op: {_md(n)}" for n in answer.proposal.notices]] if answer.proposal.notices else []
    )
    lines += ["", "**Bewijs uit de documenten van de klant:**"]
    if not answer.evidence:
        lines.append("_Geen bewijs gevonden._")
    for number, evidence in enumerate(answer.evidence, start=1):
        lines.append(f"{number}. *{_md(evidence.source_label())}* — „{_md(evidence.quote)}”")
    lines += [
        "",
        f"**Goed bewijs:** {_md(question.good_evidence)}",
        f"**Maatregel:** {_md(question.measure)}",
    ]
    if history:
        lines += ["", "**Beoordelingen:**"]
        for event in history:
            detail = ", ".join(f"{k}: {v}" for k, v in event.changes.items())
            extra = "; ".join(p for p in (detail, event.comment) if p)
            lines.append(
                f"- {event.at} — {_md(event.reviewer)}: {event.action}"
                + (f" ({_md(extra)})" if extra else "")
            )
    return "\n".join(lines)


def summary_markdown(run: CheckRun, report: CheckReport) -> str:
    """One paragraph about the run and its scores."""
    themes = ", ".join(f"{t.theme} {percent(t.score)}" for t in report.themes)
    return (
        f"**Check {run.id}** van {run.created_at[:10]} door {_md(run.created_by)} "
        f"(checklist versie {run.checklist_version}). Totaalscore **{percent(report.overall)}**; "
        f"{len(report.gaps)} gaten, {len(report.open_items)} nog te beoordelen, "
        f"{report.unreviewed} van {len(report.items)} antwoorden nog niet beoordeeld.\n\n{_md(themes)}"
    )


def _md(text: str) -> str:
    """User text made safe for gradio Markdown: HTML escaped, Markdown markers neutralised."""
    return html.escape(text).replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")
