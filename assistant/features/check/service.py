"""Use case: the Compliancy Check of one client — run, review, report.

For each checklist question, evidence comes from the client's own scope only
(:mod:`assistant.features.check.evidence`). Without a language model the proposal follows from the
evidence (see :mod:`assistant.features.check.model` for why "geen bewijs gevonden" proposes
*voldoet niet*); with one, the model proposes status and rationale from that evidence, checked
by :mod:`assistant.features.check.llm_answer`. Runs are stored unchanged; the consultant's review is a log of
events (:mod:`assistant.features.check.review`) applied on reading. Runs, review steps,
checklist versions and report exports are written to the audit log here
(``compliancy_check`` / ``export``), under the user each method takes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.features.audit.log import AuditLog, EventType
from assistant.features.check.checklist import Checklist, ChecklistQuestion
from assistant.features.check.checklist_store import ChecklistStore, keep_unedited
from assistant.features.check.crosscheck import all_findings, apply_findings, document_processors
from assistant.features.check.document_kinds import is_draft, is_privacy_statement, is_processing_agreement
from assistant.features.check.evidence import QUOTE_CHARS, EvidenceConfig, EvidenceFinder
from assistant.features.check.judge import Judgement, judge, sentences
from assistant.features.check.known import ClientKnowledge, known_answer
from assistant.features.check.llm_answer import LlmAssessor
from assistant.features.check.model import (
    LABEL_ADMISSION,
    LABEL_CONDITIONAL,
    LABEL_EVIDENCE,
    LABEL_JUDGED,
    LABEL_NO_EVIDENCE,
    LABEL_NONE_IN_DOCUMENTS,
    POLARITY_ADMITS_GAP,
    POLARITY_SUPPORTS,
    REVIEW_ACCEPTED,
    REVIEW_EDITED,
    REVIEW_NONE,
    REVIEW_REJECTED,
    STATUS_COMPLIES,
    STATUS_FAILS,
    STATUS_NOT_APPLICABLE,
    STATUS_PARTIAL,
    STATUS_UNKNOWN,
    STATUSES,
    CheckAnswer,
    CheckRun,
    DocumentPassage,
    Evidence,
    ReviewedAnswer,
    clip,
)
from assistant.features.check.polarity import SUBJECT_MAY_BE_ABSENT, denies_existence, mentions_beside_denial
from assistant.features.check.report import DEFAULT_DAY_RATE, CheckReport, ExaminedDocument, build_report
from assistant.features.check.review import (
    ACTION_ACCEPT,
    ACTION_EDIT,
    ACTION_REJECT,
    CheckReviewError,
    ReviewEvent,
    ReviewLog,
    ReviewState,
)
from assistant.features.check.store import STORE_FILE, CheckNotFoundError, CheckStore
from assistant.features.privacy.model import Register
from assistant.features.privacy.other_sources import SentenceBinder, find_other_sources
from assistant.features.privacy.register_conflicts import find_conflicts, retired_recipients
from assistant.features.privacy.register_special import unrecorded_special_data
from assistant.features.privacy.register_tracking import unrecorded_tracking
from knowledge.registry import STATUS_READY
from knowledge.retrieval import HybridRetriever
from knowledge.scopes import CLIENT_PREFIX, GENERAL_SCOPE, client_scope

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


ProgressCallback = Callable[[int, int], None]
KnowledgeSource = Callable[[str], ClientKnowledge]
NameLookup = Callable[[str], str]


class CheckService:
    """Run, review and report the Compliancy Check."""

    def __init__(
        self,
        retriever: HybridRetriever,
        data_dir: Path,
        model: BaseChatModel | None = None,
        config: EvidenceConfig | None = None,
        *,
        audit: AuditLog,
        knowledge: KnowledgeSource | None = None,
        consultancy: str = "",
        names: NameLookup | None = None,
        binder: Callable[[Register], SentenceBinder | None] | None = None,
    ) -> None:
        path = data_dir / STORE_FILE
        #: Makes what binds a document sentence to a register activity by meaning (None: by words only).
        self.binder = binder
        self.audit = audit
        self.knowledge = knowledge
        self.consultancy = consultancy
        self.names = names
        self.checklists = ChecklistStore(path)
        self.runs = CheckStore(path)
        self.reviews = ReviewLog(path)
        self.finder = EvidenceFinder(retriever, config)
        self.assessor = LlmAssessor(model) if model is not None else None
        #: Called with (previous, saved) after a checklist version is saved; added by the composition root.
        self.checklist_listeners: list[Callable[[Checklist, Checklist], None]] = []
        #: The date a periodic activity's last record is compared with (None: today). An evaluation
        #: against a dated answer key sets it, so the key's statuses keep their meaning as time passes.
        self.reference_date: date | None = None

    def assess(
        self,
        question: ChecklistQuestion,
        client: str,
        known: ClientKnowledge | None = None,
        neighbours: Sequence[ChecklistQuestion] | None = None,
    ) -> CheckAnswer:
        """The proposed answer to one question for ``client`` (with what the tool knows, when given).

        ``neighbours`` are the checklist's questions (default: the current checklist's): a sentence about
        another question's subject is that question's evidence, not this one's.
        """
        if neighbours is None:
            neighbours = self.checklists.current().questions
        answer = self._assess(question, client, known, neighbours)
        if known is None:
            return answer
        return apply_findings(question, answer, known.findings.get(question.id, []), client_name(client))

    def _assess(
        self,
        question: ChecklistQuestion,
        client: str,
        known: ClientKnowledge | None,
        neighbours: Sequence[ChecklistQuestion],
    ) -> CheckAnswer:
        found = self.finder.find(question, client_name(client), self.finder.config.candidates, neighbours)
        context = [*found, *self.finder.dedicated(question, client_name(client), found)]
        proposal = evidence_proposal(
            question,
            found[: self.finder.config.max_evidence],
            context,
            self.reference_date,
            neighbours,
            known.drafts if known is not None else frozenset(),
        )
        if known is not None:
            from_known = known_answer(question, known, proposal)
            if from_known is not None:
                return from_known
        if proposal.label == LABEL_ADMISSION:
            return proposal  # the client's own words; a language model may not talk it away
        if self.assessor is None or not proposal.evidence:
            return proposal
        return self.assessor.assess(question, proposal)

    def client_knowledge(self, client: str) -> ClientKnowledge | None:
        """Register, statement and the agreements of the register's processors found in the documents."""
        if self.knowledge is None:
            return None
        client = client_name(client)
        known = self.knowledge(client)
        passages = self.passages(client)
        register = known.register
        binder = self.binder(register) if self.binder is not None and register is not None else None
        conflicts = find_conflicts(passages, register, binder) if register is not None else []
        known = replace(
            known,
            retired=retired_recipients(conflicts),
            drafts=draft_documents(passages),
            other_sources=find_other_sources(passages, register, binder) if register is not None else [],
            tracking=unrecorded_tracking(passages, register, binder) if register is not None else [],
            special=unrecorded_special_data(passages, register, binder) if register is not None else [],
        )
        names = [*known.processors(), *document_processors(passages, known.register, client)]
        agreements = {name: self.finder.agreement(name, client) for name in dict.fromkeys(names)}
        findings = all_findings(passages, known.register, agreements, client, conflicts, self.reference_date)
        return replace(known, agreements=agreements, findings=findings)

    def passages(self, client: str) -> list[DocumentPassage]:
        """Every passage of the client's ready documents, in document order (for the cross-checks)."""
        return [
            DocumentPassage(
                title,
                chunk.text,
                chunk.chunk_id,
                int(chunk.metadata.get("page", -1) or -1),
                str(chunk.metadata.get("citation") or title),
            )
            for title, chunk in self.finder.stored_passages(client_scope(client_name(client)))
        ]

    def run(self, client: str, by: str, progress: ProgressCallback | None = None) -> CheckRun:
        """Answer every question of the current checklist for ``client`` and store the run."""
        client = client_name(client)
        scope = client_scope(client)
        if not self.finder.retriever.kb.registry.list(scope, STATUS_READY):
            raise CheckNotFoundError(
                f"Klant '{client}' heeft geen documenten in de kennisbank. Voeg ze eerst toe met "
                f"'avg-assistent ingest PAD --scope \"{scope}\"'."
            )
        checklist = self.checklists.current()
        known = self.client_knowledge(client)
        answers = []
        for done, question in enumerate(checklist.questions, start=1):
            answers.append(self.assess(question, client, known, checklist.questions))
            if progress is not None:
                progress(done, len(checklist.questions))
        by = " ".join(by.split()) or "onbekend"
        run = self.runs.save(client, checklist.version, by, answers, self.assessor is not None)
        self.audit.record(
            by,
            EventType.COMPLIANCY_CHECK,
            scope=CLIENT_PREFIX + client,
            action="check uitgevoerd",
            run=run.id,
            checklist_version=run.checklist_version,
        )
        return run

    def latest(self, client: str) -> CheckRun:
        """The client's newest run; a Dutch error when there is none."""
        run = self.runs.latest(client_name(client))
        if run is None:
            raise CheckNotFoundError(
                f"Voor klant '{client_name(client)}' is nog geen Compliancy Check uitgevoerd. "
                "Start er een met 'avg-assistent check run --client NAAM'."
            )
        return run

    def reviewed(self, run: CheckRun) -> list[ReviewedAnswer]:
        """The run's answers with the review applied."""
        states = self.reviews.states(review_subject(run))
        return [apply_review(a, states.get(a.question_id)) for a in run.answers]

    def review(
        self,
        run: CheckRun,
        question_id: str,
        action: str,
        reviewer: str,
        status: str | None = None,
        rationale: str | None = None,
        comment: str = "",
    ) -> ReviewedAnswer:
        """Record a review step (accepteren, bewerken, afwijzen, opmerking) and return the new answer."""
        answer = run.answer(question_id)
        if answer is None:
            raise CheckReviewError(f"Vraag '{question_id}' hoort niet bij check {run.id}.")
        if status and status not in STATUSES:
            raise CheckReviewError(f"Onbekende status '{status}'. Kies uit: {', '.join(STATUSES)}.")
        changes: dict[str, str] = {}
        if action == ACTION_EDIT:
            if status:
                changes["status"] = status
            if rationale is not None and rationale.strip():
                changes["rationale"] = rationale.strip()
        self.reviews.record(review_subject(run), question_id, action, reviewer, changes, comment)
        self.audit.record(
            reviewer,
            EventType.COMPLIANCY_CHECK,
            scope=CLIENT_PREFIX + run.client,
            action=f"beoordeling {action}",
            run=run.id,
            question=question_id,
        )
        return self.reviewed(run)[[a.question_id for a in run.answers].index(question_id)]

    def save_checklist(self, text: str, author: str, note: str = "") -> Checklist:
        """Store edited YAML as the next checklist version (audited as ``checklist gewijzigd``)."""
        previous = self.checklists.current()
        saved = self.checklists.save_yaml(text, author, note)
        self.audit.record(
            author,
            EventType.COMPLIANCY_CHECK,
            scope=GENERAL_SCOPE,
            action="checklist gewijzigd",
            version=saved.version,
        )
        for listener in self.checklist_listeners:
            listener(previous, saved)
        return saved

    def save_question(self, question: ChecklistQuestion, author: str, note: str = "") -> Checklist:
        """Store one added or changed question (from the form) as the next checklist version (audited).

        The form edits the text fields and key terms only; what it does not show (risk, condition,
        requirements, periodic, known weaknesses, which documents count) is kept from the stored question
        with the same code.
        """
        stored = {q.id: q for q in self.checklists.current().questions}.get(question.id)
        if stored is not None:
            question = keep_unedited(stored, question)
        saved = self.checklists.update_question(question, author, note)
        self.audit.record(
            author,
            EventType.COMPLIANCY_CHECK,
            scope=GENERAL_SCOPE,
            action="checklist gewijzigd",
            version=saved.version,
            question=question.id,
        )
        return saved

    def export(
        self,
        run: CheckRun,
        target: Path,
        fmt: str,
        day_rate: float,
        by: str,
    ) -> Path:
        """Write the report of ``run`` as ``docx`` or ``md`` to ``target`` (audited as an ``export``).

        The consultancy's name is the document's author; ``names`` gives a reviewer's display name
        ("" when the account has none), so login names never appear in the document.
        """
        consultancy, names = self.consultancy, self.names
        from assistant.features.check.export import to_docx, to_markdown

        report = self.report(run, day_rate)
        if fmt == "md":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_markdown(report, consultancy, names), encoding="utf-8")
        else:
            to_docx(report, target, consultancy, names)
        self.audit.record(
            by,
            EventType.EXPORT,
            scope=CLIENT_PREFIX + run.client,
            action="compliancy check-rapport",
            run=run.id,
            format=fmt,
        )
        return target

    def history(self, run: CheckRun, question_id: str | None = None) -> list[ReviewEvent]:
        """Who did what when in the review of ``run`` (one question or all)."""
        return self.reviews.history(review_subject(run), question_id)

    def erase_client(self, client: str) -> int:
        """Erase the client's check runs and their reviews."""
        return self.runs.erase_client(client)

    def rename_client(self, old: str, new: str) -> None:
        """The client's runs follow its new name."""
        self.runs.rename_client(old, new)

    def forget_document(self, doc_id: str, title: str) -> int:
        """Replace evidence quoted from the erased document."""
        return self.runs.forget_document(doc_id, title)

    def report(self, run: CheckRun, day_rate: float = DEFAULT_DAY_RATE) -> CheckReport:
        """The report of ``run``, compared with the client's previous run when there is one."""
        previous_run = self.runs.previous(run)
        previous = (previous_run, self.reviewed(previous_run)) if previous_run else None
        checklist = self.checklists.get(run.checklist_version)
        return build_report(run, checklist, self.reviewed(run), day_rate, previous, self.examined(run.client))

    def examined(self, client: str) -> list[ExaminedDocument]:
        """The client's documents the check searches (title, version, date)."""
        records = self.finder.retriever.kb.registry.list(client_scope(client_name(client)), STATUS_READY)
        return [
            ExaminedDocument(r.title, r.version, (r.effective_date or r.updated_at)[:10])
            for r in sorted(records, key=lambda r: r.title.lower())
        ]


def draft_documents(passages: Sequence[DocumentPassage]) -> frozenset[str]:
    """Titles of the documents whose title or opening lines mark them as drafts (``passages`` in order)."""
    openings: dict[str, str] = {}
    for passage in passages:
        openings.setdefault(passage.document, passage.text)
    return frozenset(title for title, opening in openings.items() if is_draft(title, opening))


def client_name(client: str) -> str:
    """The canonical client name (validated like a scope; "klant:" prefix allowed)."""
    client = client.strip()
    if client.startswith(CLIENT_PREFIX):
        client = client[len(CLIENT_PREFIX) :]
    return client_scope(client)[len(CLIENT_PREFIX) :]


def review_subject(run: CheckRun) -> str:
    """The review log's subject for a run."""
    return f"check-run:{run.id}"


def evidence_proposal(
    question: ChecklistQuestion,
    evidence: list[Evidence],
    context: list[Evidence] | None = None,
    today: date | None = None,
    neighbours: Sequence[ChecklistQuestion] = (),
    drafts: frozenset[str] = frozenset(),
) -> CheckAnswer:
    """The proposal without a language model: an admission, judged evidence, or no evidence (a gap).

    Found evidence is judged against the question's requirements, periodic activity, limitations and
    known weaknesses (:mod:`assistant.features.check.judge`), reading ``context`` (all relevant passages,
    default ``evidence``); the proposal names what was found and what is missing.

    A question that applies only in some situations (``condition``) without any evidence is
    *onbekend*: whether it applies must be found out first, it is not a gap by itself.

    A passage of a draft (``drafts``: "Privacybeleid – CONCEPT") shows an intention, not a measure: the
    question is judged without it, and where only a draft describes the measure it is *voldoet niet*.
    """
    if question.id in SUBJECT_MAY_BE_ABSENT and evidence:
        none = _none_in_documents(question, evidence, context or evidence)
        if none is not None:
            return none
        # "er zijn geen camera's in de spreekkamers" beside a camera at the door: no admission of a gap,
        # neither in the shown evidence nor in the passages the judge reads
        evidence = _denials_support(evidence, question)
        context = _denials_support(context, question) if context is not None else None
    admitted = [e for e in evidence if e.polarity == POLARITY_ADMITS_GAP]
    if admitted:
        quotes = "; ".join(f"„{e.quote}” ({e.source_label()})" for e in admitted)
        rationale = (
            f"De klant schrijft zelf dat dit ontbreekt: {quotes}. Dat is bewijs van niet-naleving. "
            f"Goed bewijs zou zijn: {question.good_evidence}"
        )
        subjects = list(dict.fromkeys(e.document for e in admitted))
        return CheckAnswer(question.id, STATUS_FAILS, LABEL_ADMISSION, rationale, evidence, subjects=subjects)
    if not evidence and question.condition:
        rationale = (
            f"Deze vraag geldt alleen als {question.condition}. De documenten van de klant zeggen daar niets "
            "over en er is geen register; ga na of dit van toepassing is."
        )
        return CheckAnswer(question.id, STATUS_UNKNOWN, LABEL_CONDITIONAL, rationale)
    if not evidence:
        rationale = (
            "In de documenten van de klant is geen passage gevonden die dit aantoont. Onder de "
            "verantwoordingsplicht (art. 5 lid 2 AVG) moet de organisatie naleving kunnen aantonen; "
            f"vraag zo nodig om aanvullend bewijs. Goed bewijs: {question.good_evidence}"
        )
        return CheckAnswer(question.id, STATUS_FAILS, LABEL_NO_EVIDENCE, rationale)
    sources = "; ".join(dict.fromkeys(e.source_label() for e in evidence))
    supporting = [e for e in (context or evidence) if e.polarity != POLARITY_ADMITS_GAP]
    verdict = _judge_evidence(question, supporting, today, neighbours)
    verdict = _without_drafts(verdict, question, supporting, drafts, today, neighbours)
    verdict = _without_processors(verdict, question, supporting, today, neighbours)
    evidence = [*evidence, *_quoted_sources(verdict, supporting, evidence)]
    subjects = list(dict.fromkeys(e.document for e in evidence))
    if verdict.status != STATUS_UNKNOWN:
        rationale = (
            f"In de documenten van de klant staan passages over dit onderwerp ({sources}). "
            f"{verdict.explanation()} Goed bewijs: {question.good_evidence}"
        )
        return CheckAnswer(
            question.id,
            verdict.status,
            LABEL_JUDGED,
            rationale,
            evidence,
            subjects=subjects,
            shortfalls=verdict.shortfalls,
            weaknesses=verdict.weaknesses,
        )
    rationale = (
        f"In de documenten van de klant staan passages over dit onderwerp ({sources}). Beoordeel of zij "
        f"aantonen wat als goed bewijs geldt: {question.good_evidence}"
    )
    return CheckAnswer(question.id, STATUS_UNKNOWN, LABEL_EVIDENCE, rationale, evidence, subjects=subjects)


def _quoted_sources(verdict: Judgement, context: list[Evidence], shown: list[Evidence]) -> list[Evidence]:
    """The passages of ``context`` that hold a sentence the verdict quotes (a limitation or a weakness) and
    are not among ``shown``, each with that sentence as its quote: every quote in a rationale is shown with
    its document and page, also when the judge read it in a passage the report would not show."""
    shown_ids = {e.chunk_id for e in shown}
    shown_text = " ".join(" ".join((e.passage or e.quote).split()) for e in shown)
    extra: dict[str, Evidence] = {}
    for sentence in (" ".join(s.split()) for s in [*verdict.weaknesses, *verdict.shortfalls]):
        if not sentence or sentence in shown_text:
            continue
        for e in context:
            if (
                e.chunk_id not in shown_ids
                and e.chunk_id not in extra
                and sentence in " ".join((e.passage or e.quote).split())
            ):
                extra[e.chunk_id] = replace(e, quote=clip(sentence, QUOTE_CHARS))
                break
    return list(extra.values())


def _denials_support(evidence: list[Evidence], question: ChecklistQuestion) -> list[Evidence]:
    """``evidence`` with a denial that the subject exists in one place ("geen camera's in de spreekkamers")
    read as support instead of an admission: the subject is there elsewhere."""
    return [
        replace(e, polarity=POLARITY_SUPPORTS)
        if e.polarity == POLARITY_ADMITS_GAP and denies_existence(e.quote, question, anywhere=True)
        else e
        for e in evidence
    ]


_STRENGTH = {STATUS_COMPLIES: 2, STATUS_PARTIAL: 1, STATUS_FAILS: 0}


def _judge_evidence(
    question: ChecklistQuestion,
    supporting: list[Evidence],
    today: date | None,
    neighbours: Sequence[ChecklistQuestion],
) -> Judgement:
    """The judge's verdict on the passages of ``supporting`` (the privacy statement shows what it marks)."""
    passages = [e.passage or e.quote for e in supporting]
    in_statement = any(is_privacy_statement(e.document) for e in supporting)
    return judge(question, passages, today, neighbours, in_statement)


def _without_drafts(
    verdict: Judgement,
    question: ChecklistQuestion,
    supporting: list[Evidence],
    drafts: frozenset[str],
    today: date | None,
    neighbours: Sequence[ChecklistQuestion],
) -> Judgement:
    """The verdict when the drafts' passages do not count, with the reason, where they made it stronger."""
    used = list(dict.fromkeys(e.document for e in supporting if e.document in drafts))
    if not used or verdict.status not in _STRENGTH:
        return verdict
    adopted = [e for e in supporting if e.document not in drafts]
    if adopted:
        without = _judge_evidence(question, adopted, today, neighbours)
    else:
        without = Judgement(STATUS_FAILS, [], verdict.missing + verdict.found, [])
    if without.status not in _STRENGTH or _STRENGTH[without.status] >= _STRENGTH[verdict.status]:
        return verdict
    part = "Een deel hiervan staat" if without.found else "Dit staat"
    reason = (
        f"{part} alleen in een concept dat nog niet is vastgesteld ({'; '.join(used)}): een concept toont "
        "een voornemen, geen maatregel."
    )
    return replace(without, reasons=[*without.reasons, reason])


#: Questions about technical measures on the organisation's own systems (encryption and two-factor login,
#: back-ups): a processor's agreement shows the processor's part, not the organisation's laptops and files.
_OWN_SYSTEMS = frozenset({"BEV-03", "BEV-04"})


def _without_processors(
    verdict: Judgement,
    question: ChecklistQuestion,
    supporting: list[Evidence],
    today: date | None,
    neighbours: Sequence[ChecklistQuestion],
) -> Judgement:
    """*voldoet deels* for a technical measure that only a processing agreement shows, in whole or in
    part (the processor's systems, not the organisation's own laptops, accounts and files)."""
    if question.id not in _OWN_SYSTEMS or verdict.status != STATUS_COMPLIES:
        return verdict
    own = [e for e in supporting if not is_processing_agreement(e.document)]
    if len(own) == len(supporting):
        return verdict
    if own:
        if _judge_evidence(question, own, today, neighbours).status == STATUS_COMPLIES:
            return verdict
        reason = (
            "Een deel van deze maatregelen staat alleen in de verwerkersovereenkomst (de systemen van de "
            "verwerker); de documenten over de eigen apparaten, accounts en bestanden van de klant tonen "
            "het niet helemaal."
        )
    else:
        reason = (
            "Alleen de verwerkersovereenkomst beschrijft deze maatregelen (de systemen van de verwerker); "
            "over de eigen apparaten, accounts en bestanden van de klant zeggen de documenten niets."
        )
    return replace(verdict, status=STATUS_PARTIAL, reasons=[*verdict.reasons, reason])


def _none_in_documents(
    question: ChecklistQuestion, evidence: list[Evidence], context: list[Evidence]
) -> CheckAnswer | None:
    """The client writes there is none of what the question is about ("er hangen geen camera's") and names
    it nowhere else: the question does not apply, which is no gap (*niet van toepassing*, for review).
    None when the documents also name the subject otherwise ("bij de ingang hangt een camera")."""
    passages = list(dict.fromkeys(e.passage or e.quote for e in context))
    denials = [s for p in passages for s in sentences(p) if denies_existence(s, question)]
    if not denials or any(mentions_beside_denial(p, question) for p in passages):
        return None
    quotes = "; ".join(f"„{clip(s)}”" for s in list(dict.fromkeys(denials))[:2])
    condition = f" Deze vraag geldt alleen als {question.condition}." if question.condition else ""
    rationale = f"De klant schrijft dat het er niet is: {quotes}.{condition} Ga na of dat klopt."
    shown = [replace(e, polarity=POLARITY_SUPPORTS) for e in evidence]
    subjects = list(dict.fromkeys(e.document for e in evidence))
    return CheckAnswer(
        question.id, STATUS_NOT_APPLICABLE, LABEL_NONE_IN_DOCUMENTS, rationale, shown, subjects=subjects
    )


def apply_review(answer: CheckAnswer, state: ReviewState | None) -> ReviewedAnswer:
    """The answer as the review left it (see :mod:`assistant.features.check.review` for the rules)."""
    if state is None:
        return ReviewedAnswer(answer, answer.status, answer.rationale)
    status = state.changes.get("status", answer.status)
    rationale = state.changes.get("rationale", answer.rationale)
    review_state = REVIEW_NONE
    if state.decision == ACTION_REJECT:
        status, review_state = STATUS_UNKNOWN, REVIEW_REJECTED
        rationale = f"Voorstel afgewezen door {state.reviewer}; opnieuw te beoordelen."
    elif state.decision == ACTION_EDIT or (state.decision == ACTION_ACCEPT and state.changes):
        review_state = REVIEW_EDITED
    elif state.decision == ACTION_ACCEPT:
        review_state = REVIEW_ACCEPTED
    return ReviewedAnswer(
        proposal=answer,
        status=status,
        rationale=rationale,
        review_state=review_state,
        reviewer=state.reviewer,
        reviewed_at=state.at,
        comments=state.comments,
    )
