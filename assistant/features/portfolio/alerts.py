"""Change alerts: which of a client's records cite a passage that changed, and how it changed.

What "cites" means per record:

* an approved privacyverklaring cites the client documents it was built from (the draft's
  ``sources``, the same link the "verouderd" status follows) and the AVG articles of its sections;
* a reviewed check answer (of the client's latest check) cites the passages of its evidence and
  the AVG articles of its checklist question;
* an open action cites its evidence document, the evidence of the answer it came from, and the
  articles of its question.

A client document's new version alerts a record only when a passage it cites is no longer in the
new version word for word (a draft cites whole documents, so any changed passage counts). A
kennisnotitie or the AVG text has no client records quoting it; its changed passages alert the
records that cite the same article (a law passage by its own article, a note by the articles its
text names). A changed checklist question alerts the answers and actions of that question.
Each alert carries the diff of the cited passage, sentence by sentence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.features.check.checklist import Checklist, ChecklistQuestion
from assistant.features.check.model import REVIEW_NONE, Evidence, ReviewedAnswer
from assistant.features.check.service import CheckService
from assistant.features.portfolio.model import (
    SOURCE_CHECKLIST,
    SOURCE_CLIENT_DOCUMENT,
    SOURCE_DOCUMENT,
    SOURCE_GUIDANCE,
    SOURCE_LAW,
    SUBJECT_ACTION,
    SUBJECT_ANSWER,
    SUBJECT_DRAFT,
    NewAlert,
    TrackedAction,
)
from assistant.features.privacy.review import APPROVED, STALE
from assistant.features.privacy.service import PrivacyService
from assistant.features.privacy.statement import Draft
from knowledge.knowledge_base import DocumentChange, KnowledgeBase
from knowledge.versions import StoredChunk

_ARTICLE = re.compile(r"\bart(?:ikel|\.)\s*(\d+)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
MIN_SIMILARITY = 0.4  # below this a changed passage counts as removed, not as rewritten
MAX_DIFF_LINES = 40
GUIDANCE_KIND = "richtlijn"
LAW_KIND = "wet"


@dataclass(frozen=True)
class PassageChange:
    """One passage as it was and as it is now ("" when added or removed)."""

    label: str
    before: str
    after: str
    articles: frozenset[str]

    def diff(self) -> list[str]:
        """The changed sentences: ``- `` as it was, ``+ `` as it is now."""
        old, new = _sentences(self.before), _sentences(self.after)
        lines = [f"[{self.label}]"] if self.label else []
        for line in difflib.unified_diff(old, new, lineterm="", n=0):
            if line.startswith(("---", "+++", "@@")):
                continue
            lines.append(f"{line[0]} {line[1:]}")
        return lines[:MAX_DIFF_LINES]


def articles_in(texts: Iterable[str]) -> frozenset[str]:
    """The AVG article numbers a text names ("art. 13 lid 1" → "13")."""
    return frozenset(m.group(1) for text in texts for m in _ARTICLE.finditer(text))


def changed_passages(old: list[StoredChunk], new: list[StoredChunk]) -> list[PassageChange]:
    """The passages of ``old`` not in ``new`` word for word (each with its closest successor) and new ones."""
    new_texts = {c.text for c in new}
    old_texts = {c.text for c in old}
    matched: set[str] = set()
    changes = []
    for chunk in old:
        if chunk.text in new_texts:
            continue
        successor = closest(chunk.text, [c for c in new if c.text not in old_texts])
        if successor is not None:
            matched.add(successor.text)
        after = successor.text if successor is not None else ""
        changes.append(PassageChange(_label(chunk), chunk.text, after, _articles(chunk, after)))
    for chunk in new:
        if chunk.text not in old_texts and chunk.text not in matched:
            changes.append(PassageChange(_label(chunk), "", chunk.text, _articles(chunk, "")))
    return changes


def closest(text: str, candidates: list[StoredChunk]) -> StoredChunk | None:
    """The candidate most like ``text``, None when none is alike enough."""
    best, best_ratio = None, MIN_SIMILARITY
    for candidate in candidates:
        ratio = difflib.SequenceMatcher(None, text, candidate.text, autojunk=False).ratio()
        if ratio >= best_ratio:
            best, best_ratio = candidate, ratio
    return best


class AlertFinder:
    """Finds the records that cite what changed, client by client."""

    def __init__(self, kb: KnowledgeBase, check: CheckService, privacy: PrivacyService) -> None:
        self.kb = kb
        self.check = check
        self.privacy = privacy

    # --- a document got a new version ------------------------------------------------------------

    def for_document(
        self, change: DocumentChange, clients: list[str], actions: list[TrackedAction]
    ) -> list[NewAlert]:
        """Alerts for a new version of a client document or of a general one (note, AVG)."""
        old = self.kb.versions.chunks(change.doc_id, change.old_version)
        new = self.kb.versions.chunks(change.doc_id, change.new_version)
        passages = changed_passages(old, new)
        if not passages:
            return []
        client = change.scope.partition(":")[2] if change.scope.startswith("klant:") else ""
        if client:
            mine = [a for a in actions if a.client == client]
            return self._client_document(change, client, passages, new, mine)
        kind = _general_kind(change, old + new)
        alerts: list[NewAlert] = []
        for name in clients:
            mine = [a for a in actions if a.client == name]
            alerts += self._by_article(change, kind, name, passages, mine)
        return alerts

    def _client_document(
        self,
        change: DocumentChange,
        client: str,
        passages: list[PassageChange],
        new: list[StoredChunk],
        actions: list[TrackedAction],
    ) -> list[NewAlert]:
        source = (SOURCE_CLIENT_DOCUMENT, change.title, change.doc_id, change.old_version, change.new_version)
        whole = [line for p in passages for line in p.diff()][:MAX_DIFF_LINES]
        alerts = [
            _alert(client, source, SUBJECT_DRAFT, ref, label, change.title, whole)
            for ref, label, draft in self._approved_drafts(client)
            if change.doc_id in draft.sources
        ]
        run = self.check.runs.latest(client)
        if run is not None:
            for answer in self.check.reviewed(run):
                if answer.review_state == REVIEW_NONE:
                    continue
                hits = self._changed_evidence(answer.evidence, change.doc_id, new)
                if hits:
                    ref, label = _answer_subject(run.id, answer)
                    cited = "; ".join(dict.fromkeys(e.source_label() for e, _ in hits))
                    alerts.append(_alert(client, source, SUBJECT_ANSWER, ref, label, cited, _diffs(hits)))
        for action in actions:
            if not action.active:
                continue
            hits = self._changed_evidence(self._action_evidence(action), change.doc_id, new)
            if hits or action.evidence_doc_id == change.doc_id:
                diff = _diffs(hits) if hits else whole
                cited = change.title
                alerts.append(_alert(client, source, SUBJECT_ACTION, *_action_subject(action), cited, diff))
        return alerts

    def _by_article(
        self,
        change: DocumentChange,
        kind: str,
        client: str,
        passages: list[PassageChange],
        actions: list[TrackedAction],
    ) -> list[NewAlert]:
        source = (kind, change.title, change.doc_id, change.old_version, change.new_version)
        alerts = []

        def touching(articles: Iterable[str]) -> tuple[str, list[str]]:
            wanted = articles_in(articles)
            hit = [p for p in passages if p.articles & wanted]
            cited = ", ".join(sorted({f"art. {n}" for p in hit for n in p.articles & wanted}, key=_number))
            return cited, [line for p in hit for line in p.diff()][:MAX_DIFF_LINES]

        for ref, label, draft in self._approved_drafts(client):
            cited, diff = touching(s.article for s in draft.sections)
            if diff:
                alerts.append(_alert(client, source, SUBJECT_DRAFT, ref, label, cited, diff))
        run = self.check.runs.latest(client)
        if run is not None:
            checklist = self.check.checklists.get(run.checklist_version)
            questions = {q.id: q for q in checklist.questions}
            for answer in self.check.reviewed(run):
                question = questions.get(answer.question_id)
                if answer.review_state == REVIEW_NONE or question is None:
                    continue
                cited, diff = touching(question.articles)
                if diff:
                    alerts.append(
                        _alert(client, source, SUBJECT_ANSWER, *_answer_subject(run.id, answer), cited, diff)
                    )
        for action in actions:
            question = self._question(action) if action.active else None
            if question is not None:
                cited, diff = touching(question.articles)
                if diff:
                    alerts.append(
                        _alert(client, source, SUBJECT_ACTION, *_action_subject(action), cited, diff)
                    )
        return alerts

    # --- a checklist version was saved -----------------------------------------------------------

    def for_checklist(
        self, previous: Checklist, saved: Checklist, clients: list[str], actions: list[TrackedAction]
    ) -> list[NewAlert]:
        """Alerts for the answers and open actions of every question that changed or went."""
        before = {q.id: q.to_yaml_dict() for q in previous.questions}
        after = {q.id: q.to_yaml_dict() for q in saved.questions}
        changed = {
            qid: _yaml_diff(before[qid], after.get(qid)) for qid in before if before[qid] != after.get(qid)
        }
        if not changed:
            return []
        title = f"checklist versie {saved.version}"
        alerts = []
        for client in clients:
            run = self.check.runs.latest(client)
            if run is not None:
                for answer in self.check.reviewed(run):
                    if answer.review_state != REVIEW_NONE and answer.question_id in changed:
                        qid = answer.question_id
                        source = (
                            SOURCE_CHECKLIST,
                            title,
                            f"checklist:{qid}",
                            previous.version,
                            saved.version,
                        )
                        ref, label = _answer_subject(run.id, answer)
                        alerts.append(_alert(client, source, SUBJECT_ANSWER, ref, label, qid, changed[qid]))
            for action in actions:
                if action.client == client and action.active and action.question_id in changed:
                    qid = action.question_id
                    source = (SOURCE_CHECKLIST, title, f"checklist:{qid}", previous.version, saved.version)
                    alerts.append(
                        _alert(client, source, SUBJECT_ACTION, *_action_subject(action), qid, changed[qid])
                    )
        return alerts

    # --- helpers ---------------------------------------------------------------------------------

    def _approved_drafts(self, client: str) -> list[tuple[str, str, Draft]]:
        """(ref, label, approved version) of the client's approved (or since stale) drafts."""
        result = []
        for record in self.privacy.review.list(client):
            if record.status not in (APPROVED, STALE) or not record.approved_version:
                continue
            draft = self.privacy.review.version(record.id, record.approved_version)
            version = record.approved_version
            label = f"privacyverklaring {record.id} ({record.title}, goedgekeurde versie {version})"
            result.append((f"concept:{record.id}", label, draft))
        return result

    def _changed_evidence(
        self, evidence: list[Evidence], doc_id: str, new: list[StoredChunk]
    ) -> list[tuple[Evidence, PassageChange]]:
        """The evidence from ``doc_id`` whose passage is not in the new version word for word."""
        new_texts = {c.text for c in new}
        hits = []
        for item in evidence:
            if not item.chunk_id.startswith(doc_id + ":"):
                continue
            found = self.kb.versions.find_chunk(item.chunk_id)
            text = found[1].text if found is not None else item.passage or item.quote
            if text in new_texts:
                continue
            successor = closest(text, new)
            after = successor.text if successor is not None else ""
            hits.append((item, PassageChange(item.source_label(), text, after, frozenset())))
        return hits

    def _action_evidence(self, action: TrackedAction) -> list[Evidence]:
        try:
            answer = self.check.runs.get(action.run_id).answer(action.question_id)
        except Exception:  # noqa: BLE001 - a run gone with its client: nothing cited any more
            return []
        return answer.evidence if answer is not None else []

    def _question(self, action: TrackedAction) -> ChecklistQuestion | None:
        try:
            run = self.check.runs.get(action.run_id)
            return self.check.checklists.get(run.checklist_version).get(action.question_id)
        except Exception:  # noqa: BLE001 - the run or question is gone: nothing cited any more
            return None


def _alert(
    client: str,
    source: tuple[str, str, str, int, int],
    subject_kind: str,
    subject_ref: str,
    subject_label: str,
    cited: str,
    diff: list[str],
) -> NewAlert:
    kind, title, ref, old, new = source
    return NewAlert(client, kind, title, ref, old, new, subject_kind, subject_ref, subject_label, cited, diff)


def _answer_subject(run_id: int, answer: ReviewedAnswer) -> tuple[str, str]:
    return (
        f"check:{run_id}:{answer.question_id}",
        f"check {run_id}, vraag {answer.question_id} ({answer.status})",
    )


def _action_subject(action: TrackedAction) -> tuple[str, str]:
    return f"actie:{action.id}", f"actie {action.id} ({action.question_id}, {action.status})"


def _diffs(hits: list[tuple[Evidence, PassageChange]]) -> list[str]:
    seen: dict[str, None] = {}
    for _, change in hits:
        for line in change.diff():
            seen.setdefault(line)
    return list(seen)[:MAX_DIFF_LINES]


def _general_kind(change: DocumentChange, chunks: list[StoredChunk]) -> str:
    if change.kind == GUIDANCE_KIND:
        return SOURCE_GUIDANCE
    if change.kind == LAW_KIND or any(c.metadata.get("law") for c in chunks[:1]):
        return SOURCE_LAW
    return SOURCE_DOCUMENT


def _label(chunk: StoredChunk) -> str:
    meta = chunk.metadata
    return str(meta.get("citation") or meta.get("section") or chunk.text.split("\n", 1)[0][:80])


def _articles(chunk: StoredChunk, other: str) -> frozenset[str]:
    article = str(chunk.metadata.get("article") or "")
    if article:  # a law passage concerns its own article, not the ones it refers to
        return frozenset({article})
    if chunk.metadata.get("recital"):
        return frozenset()
    return articles_in(_without_grounds(t) for t in (chunk.text, other))


def _without_grounds(text: str) -> str:
    """A kennisnotitie's passage without its "Grondslag:" line (which lists the whole note's articles)."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("Grondslag:"))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _number(label: str) -> int:
    digits = "".join(ch for ch in label if ch.isdigit())
    return int(digits) if digits else 0


def _yaml_diff(before: dict[str, object], after: dict[str, object] | None) -> list[str]:
    if after is None:
        return [f"- vraag {before['id']} is uit de checklist verwijderd"]
    lines = []
    for key, value in before.items():
        if after.get(key) != value:
            lines += [f"- {key}: {value}", f"+ {key}: {after.get(key)}"]
    return lines
