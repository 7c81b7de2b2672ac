"""Embeddings cached by (embedder id, text hash), so unchanged text is never embedded twice.

A changed document usually keeps most of its chunks; re-indexing it, or rebuilding a
scope, only embeds the chunks whose text is new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np

from knowledge.database import Database
from knowledge.embeddings import vector_space

_LOOKUP_BATCH = 500


def text_hash(text: str) -> str:
    """Hash of a chunk's text as it is embedded."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Embed through a cache in the knowledge database."""

    def __init__(self, db: Database, embedder_id: str) -> None:
        self._db = db
        # Keyed by vector space: embedders with interchangeable vectors share their cache.
        self._embedder_id = vector_space(embedder_id)

    def embed(
        self,
        texts: Sequence[str],
        embed_batch: Callable[[list[str]], list[list[float]]],
        on_progress: Callable[[int], None] | None = None,
        batch_size: int = 16,
    ) -> list[list[float]]:
        """Vectors for ``texts``: cached ones looked up, the rest embedded in batches and stored."""
        hashes = [text_hash(t) for t in texts]
        cached = self._lookup(sorted(set(hashes)))
        if on_progress and cached:
            on_progress(sum(1 for h in hashes if h in cached))
        missing = [(h, t) for h, t in dict(zip(hashes, texts, strict=True)).items() if h not in cached]
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            vectors = embed_batch([t for _, t in batch])
            self._store([h for h, _ in batch], vectors, keep_cached=False)
            cached.update({h: list(v) for (h, _), v in zip(batch, vectors, strict=True)})
            if on_progress:
                on_progress(sum(1 for h in hashes if h in {b for b, _ in batch}))
        return [cached[h] for h in hashes]

    def keep(self, texts: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        """Store vectors made elsewhere (e.g. read back from the vector store), keeping cached ones."""
        self._store([text_hash(t) for t in texts], vectors, keep_cached=True)

    def _store(self, hashes: list[str], vectors: Sequence[Sequence[float]], keep_cached: bool) -> None:
        rows = [
            (self._embedder_id, h, np.asarray(v, dtype=np.float32).tobytes())
            for h, v in zip(hashes, vectors, strict=True)
        ]
        verb = "INSERT OR IGNORE" if keep_cached else "INSERT OR REPLACE"
        with self._db.transaction() as conn:
            conn.executemany(f"{verb} INTO embedding_cache VALUES (?, ?, ?)", rows)

    def _lookup(self, hashes: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for start in range(0, len(hashes), _LOOKUP_BATCH):
            chunk = hashes[start : start + _LOOKUP_BATCH]
            placeholders = ",".join("?" for _ in chunk)
            rows = self._db.query(
                "SELECT text_hash, vector FROM embedding_cache "
                f"WHERE embedder_id = ? AND text_hash IN ({placeholders})",
                (self._embedder_id, *chunk),
            )
            found.update(
                {r["text_hash"]: np.frombuffer(r["vector"], dtype=np.float32).tolist() for r in rows}
            )
        return found
