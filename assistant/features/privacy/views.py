"""Markdown views of registers, suggestions, drafts, diffs and the audit trail (for UI and CLI).

Plain functions from domain objects to Dutch Markdown; no gradio here, so they are tested
directly. User-provided text is escaped where it lands in a table or HTML-sensitive spot.
"""

from __future__ import annotations

import html

from assistant.features.privacy.model import Problem, Register, basis_label
from assistant.features.privacy.review import APPROVED, Comment, SectionDiff
from assistant.features.privacy.service import DraftView
from assistant.features.privacy.store import AuditEntry
from assistant.features.privacy.suggestions import Suggestion


def register_markdown(register: Register, problems: list[Problem]) -> str:
    """The register as a table plus the validation findings."""
    c = register.controller
    lines = [
        f"### {_e(c.name or register.client)}",
        f"{_e(c.address)} · {_e(c.email)} · {_e(c.phone)}".strip(" ·"),
        f"FG: {_e(c.fg_name or 'geen')} {_e(c.fg_email)}".strip(),
        "",
        "| Verwerking | Doel | Grondslag | Gegevens | Ontvangers | Bewaartermijn |",
        "|---|---|---|---|---|---|",
    ]
    for a in register.activities:
        recipients = ", ".join(f"{r.name}{f' ({r.country})' if r.country else ''}" for r in a.recipients)
        basis = f"{a.legal_basis} ({basis_label(a.legal_basis)})" if a.legal_basis else "—"
        lines.append(
            f"| {_e(a.name)} | {_e(a.purpose) or '—'} | {basis} | {_e(', '.join(a.data_categories)) or '—'} "
            f"| {_e(recipients) or '—'} | {_e(a.retention) or '**ontbreekt**'} |"
        )
    if problems:
        lines += ["", "**Nog aan te vullen of te controleren:**"]
        lines += [f"- {'⛔' if p.blocking else '⚠️'} {_e(str(p))}" for p in problems]
    return "\n".join(lines)


def suggestions_markdown(suggestions: list[Suggestion], notices: list[str] | None = None) -> str:
    """Open suggestions with their evidence."""
    lines = [f"> {_e(n)}" for n in notices or []]
    if not suggestions:
        return "\n".join([*lines, "_Geen open suggesties._"])
    lines += ["| Nr. | Soort | Verwerking | Waarde | Bron | Citaat |", "|---|---|---|---|---|---|"]
    for s in suggestions:
        lines.append(
            f"| {s.id} | {s.kind} | {_e(s.activity) or '?'} | {_e(s.value)} | {_e(s.evidence.label())} "
            f"| „{_e(s.evidence.quote)}” |"
        )
    return "\n".join(lines)


def draft_markdown(view: DraftView, comments: list[Comment]) -> str:
    """Status, notices, staleness, then the sections with their notices and comments."""
    record, draft = view.record, view.draft
    lines = [f"**Concept {record.id}** · versie {record.version} · status: **{record.status_label}**"]
    reasons = record.stale_reasons or (view.staleness.reasons() if record.status == APPROVED else [])
    if reasons:
        lines += ["", "**Verouderd — gewijzigd sinds de goedkeuring:**", *(f"- {_e(r)}" for r in reasons)]
    elif view.staleness.stale:
        lines += [
            "",
            "_Gewijzigd in register of bronnen sinds deze versie:_",
            *(f"- {_e(r)}" for r in view.staleness.reasons()),
        ]
    if draft.notices:
        lines += ["", *(f"> {_e(n)}" for n in draft.notices)]
    lines += ["", f"# {_e(draft.title)}", "", draft.intro]
    by_section: dict[str, list[Comment]] = {}
    for comment in comments:
        by_section.setdefault(comment.section, []).append(comment)
    for section in draft.sections:
        lines += ["", f"## {_e(section.title)}", "", _e_text(section.text)]
        if section.notice:
            lines += ["", f"> ⚠️ {_e(section.notice)}"]
        for comment in by_section.get(section.key, []):
            lines.append(f"> 💬 {_e(comment.author)} (versie {comment.version}): {_e(comment.text)}")
    for comment in by_section.get("", []):
        lines.append(f"> 💬 {_e(comment.author)} (versie {comment.version}): {_e(comment.text)}")
    return "\n".join(lines)


def diff_markdown(diffs: list[SectionDiff]) -> str:
    """Changed sections with their unified diffs."""
    changed = [d for d in diffs if d.change != "gelijk"]
    if not changed:
        return "_Geen verschillen._"
    parts = []
    for diff in changed:
        parts.append(f"**{_e(diff.title)}** ({diff.change})\n\n```diff\n" + "\n".join(diff.lines) + "\n```")
    return "\n\n".join(parts)


def audit_markdown(entries: list[AuditEntry]) -> str:
    """The audit trail as a table, newest first."""
    if not entries:
        return "_Nog geen acties._"
    lines = ["| Wanneer | Wie | Actie | Onderwerp | Toelichting |", "|---|---|---|---|---|"]
    for e in reversed(entries):
        lines.append(f"| {e.at} | {_e(e.actor)} | {_e(e.action)} | {_e(e.subject)} | {_e(e.detail)} |")
    return "\n".join(lines)


def _e(text: str) -> str:
    """Escape for a Markdown table cell."""
    return html.escape(text or "").replace("|", "/").replace("\n", " ")


def _e_text(text: str) -> str:
    """Escape HTML in section text but keep its Markdown (bullets, bold)."""
    return html.escape(text or "", quote=False)
