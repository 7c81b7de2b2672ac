"""Erase a client's vectors in a process of its own and list the index files that hold its text.

``python tests/erasure_process.py DATA_DIR CANARY [--no-scrub]`` builds the app, stores 300
passages with the canary in one client's collection, reads them back, drops the collection
and compacts the store (what erasing the client does), stores one passage for another client,
four rounds, and prints (JSON) the files under DATA_DIR's vector store that contain the canary.

A fresh process is needed because what is tested is what the heap held before the index
files were written. ``--no-scrub`` is the control run, without overwriting freed memory.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import assistant.app
from assistant.app import build_app
from assistant.settings import Settings
from knowledge.erasure import compact_chroma

_PASSAGES = 300
_ROUNDS = 4
_DIMENSIONS = 384


def main(argv: list[str]) -> None:
    """Run the scenario and print the vector-store files that contain the canary."""
    data_dir, canary = Path(argv[0]), argv[1]
    if "--no-scrub" in argv:
        assistant.app.scrub_freed_memory = lambda: False  # the control run
    freed = bytearray(
        8_000_000
    )  # as in a process that ran a while: glibc then serves big blocks from its heap
    del freed
    app = build_app(Settings(data_dir=data_dir))
    rng = random.Random(7)
    try:
        vectors = app.kb.vectors
        for round_ in range(_ROUNDS):
            texts = [
                f"Klantgegevens van Webshop Noord, kenmerk {canary} {i}. " * 25 for i in range(_PASSAGES)
            ]
            ids = [f"noord:{round_}:{i}" for i in range(_PASSAGES)]
            vectors.add(
                "klant:noord",
                ids,
                [[rng.random() for _ in range(_DIMENSIONS)] for _ in range(_PASSAGES)],
                texts,
                [{"doc_id": "noord"}] * _PASSAGES,
            )
            vectors.get("klant:noord", ids)
            del texts
            vectors.drop_scope("klant:noord")
            vectors.add(
                f"klant:zuid-{round_}",
                ["zuid:0"],
                [[rng.random() for _ in range(_DIMENSIONS)]],
                ["Twee jaar."],
                [{"doc_id": "zuid"}],
            )
    finally:
        app.close()
    needle = canary.encode()
    chroma = app.settings.chroma_dir
    assert compact_chroma(chroma, ["noord"])  # what erasure does after dropping a collection
    hits = [str(p.relative_to(chroma)) for p in chroma.rglob("*") if p.is_file() and needle in p.read_bytes()]
    print(json.dumps(hits))


if __name__ == "__main__":
    main(sys.argv[1:])
