"""Uploaded files are read once and deleted: nothing unmasked stays in gradio's upload cache.

Gradio writes every upload to its cache folder (``GRADIO_TEMP_DIR``) before a handler runs. A
handler that takes an upload wraps its work in :func:`consumed`: when the work ends —
successfully or not — the uploaded files and their (then empty) folders are deleted. Only
files inside gradio's upload folder are touched, never a path from elsewhere.

Because of that, a file field must not offer the same upload twice: after processing, the tab
clears the field with :func:`clear_consumed` (the user chooses the file again), and a handler
that still receives a path of a deleted upload says so in Dutch (:func:`require_present`).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.utils import get_upload_folder

from ingestion.errors import AvgError

logger = logging.getLogger(__name__)

STALE_UPLOAD = (
    "Het bestand '{name}' is al verwerkt en daarna verwijderd (geüploade bestanden worden na gebruik "
    "gewist). Kies het bestand opnieuw."
)


def upload_folder() -> Path:
    """Gradio's folder for uploads and cached outputs."""
    return Path(os.path.realpath(get_upload_folder()))


def discard(path: str | Path | None) -> bool:
    """Delete an uploaded file (and its folder when empty); False when it is not one or is gone."""
    if not path:
        return False
    target = Path(os.path.realpath(path))
    root = upload_folder()
    if root not in target.parents or not target.is_file():
        return False
    try:
        target.unlink()
        folder = target.parent
        while folder != root and root in folder.parents and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    except OSError:
        logger.warning("Een geüpload bestand kon niet worden verwijderd.")
        return False
    return True


@contextlib.contextmanager
def consumed(paths: Iterable[str | Path | None]) -> Iterator[None]:
    """Run the block, then delete the uploaded ``paths`` whatever happened."""
    listed = list(paths)
    try:
        yield
    finally:
        for path in listed:
            discard(path)


def _paths(value: Any) -> list[str]:
    """The paths of a file field's value (one path, a list of paths, or gradio's file dicts)."""
    items = value if isinstance(value, list | tuple) else [value]
    paths = [item.get("path") if isinstance(item, dict) else item for item in items]
    return [str(p) for p in paths if p]


def require_present(value: Any) -> None:
    """Raise a Dutch AvgError when a path of the field no longer exists (an upload used before)."""
    for path in _paths(value):
        if not Path(path).is_file():
            raise AvgError(STALE_UPLOAD.format(name=Path(path).name))


def clear_consumed(value: Any) -> Any:
    """After processing: empty the file field when its upload is gone, else leave it as it is."""
    paths = _paths(value)
    if paths and not any(Path(p).is_file() for p in paths):
        return None
    return gr.skip()
