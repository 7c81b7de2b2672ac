"""Opening untrusted paths: only regular files, never a FIFO or device, names shown safely.

A folder given to ``ingest`` or ``sync`` can hold anything: a symlink to ``/etc/passwd`` or
``/dev/zero``, a FIFO (opening it for reading blocks until a writer comes), a device, a file
whose name is not valid UTF-8. :func:`read_regular_file` opens without blocking and checks the
opened file itself (no gap between check and read); :func:`link_reason` decides whether a
symlink found in a folder may be followed (only to a regular file inside that folder).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ingestion.errors import IngestionError

MISSING = "Bestand of map bestaat niet."
_KINDS = (
    (stat.S_ISFIFO, "een named pipe (FIFO)"),
    (stat.S_ISCHR, "een apparaat"),
    (stat.S_ISBLK, "een apparaat"),
    (stat.S_ISSOCK, "een socket"),
    (stat.S_ISDIR, "een map"),
)


def not_regular_reason(mode: int) -> str:
    """The Dutch reason a path of this ``st_mode`` is not read."""
    kind = next((label for test, label in _KINDS if test(mode)), "geen gewoon bestand")
    return f"Dit is geen gewoon bestand maar {kind}; alleen gewone bestanden worden ingelezen."


def display_name(path: Path | str) -> str:
    """The path as printable text: bytes that are not UTF-8 become "�" (never an encoding error)."""
    return os.fsencode(str(path)).decode("utf-8", errors="replace")


def name_reason(path: Path) -> str | None:
    """A Dutch reason when the file name is not valid UTF-8 (it cannot be stored or shown), else None."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return (
            f"De bestandsnaam '{display_name(path.name)}' bevat tekens die geen geldige UTF-8 zijn; "
            "geef het bestand een andere naam en probeer opnieuw."
        )
    return None


def regular_reason(path: Path) -> str | None:
    """A Dutch reason when ``path`` (symlinks followed) is missing or not a regular file, else None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return MISSING
    except OSError as exc:
        return f"Het bestand kan niet worden gelezen ({exc.strerror or type(exc).__name__})."
    return None if stat.S_ISREG(mode) else not_regular_reason(mode)


def link_reason(link: Path, root: Path) -> str | None:
    """Why the symlink ``link`` found under folder ``root`` is not followed, or None when it may be.

    It may be followed only when it resolves to a regular file inside ``root`` (resolved).
    """
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return "Koppeling (symlink) die nergens naar wijst; overgeslagen."
    if not target.is_relative_to(root.resolve()):
        return "Koppeling (symlink) naar iets buiten de map; niet gevolgd."
    if target.is_dir():
        return "Koppeling (symlink) naar een map; niet gevolgd."
    return regular_reason(target)


def read_regular_file(path: Path, max_bytes: int | None = None) -> bytes:
    """Read a regular file (symlinks followed); a FIFO, device or socket raises a Dutch error at once.

    The file is opened without blocking and checked with ``fstat`` on the open descriptor, so a
    FIFO never hangs and ``/dev/zero`` is never read. ``max_bytes`` caps what is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise IngestionError(MISSING) from exc
    except IsADirectoryError as exc:
        raise IngestionError("Dit is een map, geen bestand.") from exc
    except OSError as exc:
        raise IngestionError(
            f"Het bestand kan niet worden gelezen ({exc.strerror or type(exc).__name__})."
        ) from exc
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise IngestionError(not_regular_reason(info.st_mode))
        try:
            return stream.read() if max_bytes is None else stream.read(max_bytes + 1)
        except OSError as exc:
            raise IngestionError(
                f"Het bestand kan niet worden gelezen ({exc.strerror or type(exc).__name__})."
            ) from exc
