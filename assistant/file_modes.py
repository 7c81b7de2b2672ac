"""Files the application writes are private to the account that runs it: umask 077, data folder 0700.

Client documents, exports, the audit log and the accounts live on disk. Every entry point (the
CLI and so ``serve``) calls :func:`use_private_umask` first, so every file and folder the
process creates from then on — SQLite files and their journals, exports, gradio's upload and
output cache, model caches — is 0600/0700. :func:`restrict` tightens a data folder made by an
older version (0755 folders, 0644 SQLite files).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def use_private_umask() -> int:
    """Set the process umask to 077; returns the previous one."""
    return os.umask(PRIVATE_UMASK)


def restrict(folder: Path) -> int:
    """Remove group and other permissions under ``folder`` (itself included); returns how many changed."""
    changed = 0
    if not folder.exists():
        return 0
    for path in [folder, *folder.rglob("*")]:
        try:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not mode & 0o077:
                continue
            os.chmod(path, stat.S_IMODE(mode) & 0o700)
            changed += 1
        except OSError:
            continue
    return changed
