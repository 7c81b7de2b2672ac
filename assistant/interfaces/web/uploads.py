"""Uploaded files are read once and deleted: nothing unmasked stays in gradio's upload cache.

Gradio writes every upload to its cache folder (``GRADIO_TEMP_DIR``) before a handler runs. A
handler that takes an upload wraps its work in :func:`consumed`: when the work ends —
successfully or not — the uploaded files and their (then empty) folders are deleted. Only
files inside gradio's upload folder are touched, never a path from elsewhere.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from gradio.utils import get_upload_folder

logger = logging.getLogger(__name__)


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
