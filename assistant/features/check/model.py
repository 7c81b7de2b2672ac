"""The Compliancy Check's data: statuses, evidence, proposed answers, runs and reviewed answers.

Why "geen bewijs gevonden" proposes *voldoet niet* and not *onbekend*: under the
accountability principle (art. 5 lid 2 and art. 24 AVG) the organisation must be able to
*demonstrate* compliance. When none of the client's own documents shows a measure, the
measure cannot be demonstrated, which is itself a gap. The consultant can still change the
status in the review (say, when the measure exists but was not documented in what was supplied).
Evidence that was found but not yet judged proposes *onbekend*: a passage mentioning a topic
does not prove that it is handled well.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATUS_COMPLIES = "voldoet"
STATUS_PARTIAL = "voldoet deels"
STATUS_FAILS = "voldoet niet"
STATUS_UNKNOWN = "onbekend"
STATUS_NOT_APPLICABLE = "niet van toepassing"
STATUSES: tuple[str, ...] = (
    STATUS_COMPLIES,
    STATUS_PARTIAL,
    STATUS_FAILS,
    STATUS_UNKNOWN,
    STATUS_NOT_APPLICABLE,
)

#: Order used to compare two checks: a higher rank is better (n.v.t. is outside the score, ranked last
#: so that a question that no longer applies never reads as an improvement).
STATUS_RANK = {
    STATUS_FAILS: 0,
    STATUS_UNKNOWN: 1,
    STATUS_PARTIAL: 2,
    STATUS_COMPLIES: 3,
    STATUS_NOT_APPLICABLE: 3,
}
#: Points per status for the theme score (onbekend counts as not demonstrated; n.v.t. is left out).
STATUS_POINTS = {STATUS_COMPLIES: 1.0, STATUS_PARTIAL: 0.5, STATUS_FAILS: 0.0, STATUS_UNKNOWN: 0.0}

LABEL_EVIDENCE = "bewijs gevonden — beoordelen"
LABEL_NO_EVIDENCE = "geen bewijs gevonden"
LABEL_JUDGED = "bewijs getoetst aan de vereisten — beoordelen"
LABEL_LLM = "voorstel taalmodel — beoordelen"
LABEL_ADMISSION = "eigen verklaring: ontbreekt — beoordelen"
LABEL_KNOWN = "uit het register of de privacyverklaring — beoordelen"
LABEL_NOT_APPLICABLE = "niet van toepassing volgens het register — beoordelen"
LABEL_NONE_IN_DOCUMENTS = "niet van toepassing volgens de documenten — beoordelen"
LABEL_CONDITIONAL = "geen bewijs; nagaan of dit van toepassing is"
LABEL_CROSS_CHECK = "documenten vergeleken met register en bekende diensten — beoordelen"

#: Polarity of evidence: a passage that shows the measure, or one that states it is absent.
POLARITY_SUPPORTS = "positief"
POLARITY_ADMITS_GAP = "negatief"

SOURCE_EVIDENCE = "bewijs"
SOURCE_LLM = "taalmodel"
SOURCE_KNOWN = "register"

#: Longest quote of a client's sentence in a rationale before it is cut at a word.
QUOTE_LIMIT = 200

REVIEW_NONE = "niet beoordeeld"
REVIEW_ACCEPTED = "geaccepteerd"
REVIEW_EDITED = "bewerkt"
REVIEW_REJECTED = "afgewezen"


@dataclass(frozen=True)
class Evidence:
    """A passage of the client's own documents that bears on a question."""

    document: str
    page: int
    citation: str
    quote: str
    chunk_id: str
    score: float
    scope: str
    passage: str = ""
    matched_terms: list[str] = field(default_factory=list)
    polarity: str = POLARITY_SUPPORTS

    def source_label(self) -> str:
        """Document and page as shown in reports: "Bewaarbeleid, p. 2"."""
        return f"{self.document}, p. {self.page}" if self.page > 0 else self.document


@dataclass(frozen=True)
class DocumentPassage:
    """A passage of one of the client's documents, read whole by the cross-checks."""

    document: str
    text: str
    chunk_id: str = ""
    page: int = -1
    citation: str = ""


@dataclass(frozen=True)
class CheckAnswer:
    """The proposed answer to one question: status, rationale and the evidence it rests on."""

    question_id: str
    status: str
    label: str
    rationale: str
    evidence: list[Evidence] = field(default_factory=list)
    source: str = SOURCE_EVIDENCE
    notices: list[str] = field(default_factory=list)
    #: The client's own processors, activities or documents this answer is about (named in the action plan).
    subjects: list[str] = field(default_factory=list)
    #: The client's own sentences that say part of the measure is not done or not known, and those with a
    #: wording the checklist knows as a weakness, as the judge found them: what the register cannot overrule.
    shortfalls: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain data for storage and ``--json`` output."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckAnswer:
        """The answer from :meth:`to_json` output."""
        evidence = [Evidence(**item) for item in data.get("evidence", [])]
        return cls(**{**data, "evidence": evidence})


@dataclass(frozen=True)
class CheckRun:
    """One Compliancy Check of one client against one checklist version."""

    id: int
    client: str
    checklist_version: int
    created_at: str
    created_by: str
    answers: list[CheckAnswer]
    used_llm: bool = False

    def answer(self, question_id: str) -> CheckAnswer | None:
        """The answer to this question, None when the run has none."""
        return next((a for a in self.answers if a.question_id == question_id), None)


@dataclass(frozen=True)
class ReviewedAnswer:
    """A proposed answer with the consultant's review applied."""

    proposal: CheckAnswer
    status: str
    rationale: str
    review_state: str = REVIEW_NONE
    reviewer: str = ""
    reviewed_at: str = ""
    comments: list[str] = field(default_factory=list)

    @property
    def question_id(self) -> str:
        """The question this answer belongs to."""
        return self.proposal.question_id

    @property
    def evidence(self) -> list[Evidence]:
        """The evidence of the proposal."""
        return self.proposal.evidence


def clip(sentence: str, limit: int = QUOTE_LIMIT) -> str:
    """``sentence`` cut at a word before ``limit`` characters, with " …" when cut."""
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + " …"
