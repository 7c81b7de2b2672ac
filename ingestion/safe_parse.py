"""Parse untrusted files in a separate worker process with size, memory and time limits.

Design:

* The calling process only looks at the file's name and size: an unsupported extension or a
  file over ``max_file_bytes`` is refused without reading it.
* Everything that reads content runs in one long-lived worker process: a fresh interpreter
  (``python -c``, not fork: safe next to Chroma's or gradio's threads, and unlike multiprocessing's
  ``spawn`` it never re-imports the caller's main script). Starting it costs about 1.5 s of
  imports, once; after that a file costs one round trip over a pipe (path in, pickled
  ParsedDocument out).
* For every file the worker sets ``RLIMIT_AS`` (memory) and ``RLIMIT_CPU`` (CPU seconds), inspects
  the DOCX zip directory (declared unpacked size, ratio, DTD/entity declarations) or the PDF page
  count, caps pypdf's per-stream decompression, and then runs :func:`ingestion.loader.load_file`.
  Network connections are refused inside the worker.
* The caller waits at most ``timeout_s``; then it kills the worker. A worker that ran out of memory
  exits after replying. Either way the next file starts a fresh worker.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ingestion.errors import IngestionError, UnsupportedFileError
from ingestion.limits import ParseLimits, megabytes
from ingestion.loader import load_file
from ingestion.model import ParsedDocument
from ingestion.parse_checks import PDF_BOMB, check_docx_archive, check_pdf_pages, check_size

_CRASHED = "Het verwerken is onverwacht afgebroken (code {code}); het bestand is niet verwerkt."
_STARTUP_TIMEOUT_S = 120.0

logger = logging.getLogger(__name__)


def safe_load_file(
    path: Path, limits: ParseLimits | None = None, kind: str | None = None, title: str | None = None
) -> ParsedDocument:
    """Like :func:`ingestion.loader.load_file`, but in a resource-limited worker (shared per process)."""
    return _default_parser().load(path, kind=kind, title=title, limits=limits)


class SafeParser:
    """Parses files in one reusable worker process under :class:`ParseLimits`; thread-safe."""

    def __init__(self, limits: ParseLimits | None = None) -> None:
        self.limits = limits or ParseLimits()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None

    def load(
        self,
        path: Path,
        kind: str | None = None,
        title: str | None = None,
        limits: ParseLimits | None = None,
    ) -> ParsedDocument:
        """Parse one file; raises IngestionError with a Dutch reason when it fails or breaks a limit."""
        limits = limits or self.limits
        path = Path(path)
        check_size(path, limits)
        with self._lock:
            reply = self._run(path, kind, title, limits)
        status = reply[0]
        if status == "ok":
            document: ParsedDocument = reply[1]
            return document
        if status == "memory":
            raise IngestionError(_memory_reason(limits))
        error = UnsupportedFileError if reply[1] else IngestionError
        raise error(reply[2])

    def close(self) -> None:
        """Stop the worker process (a later :meth:`load` starts a new one)."""
        with self._lock:
            self._stop(grace_s=1.0)

    def __enter__(self) -> SafeParser:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self, path: Path, kind: str | None, title: str | None, limits: ParseLimits) -> tuple[Any, ...]:
        task = (str(path.absolute()), kind, title, limits)
        conn = self._worker()
        try:
            conn.send(task)
        except OSError:  # the idle worker died: start a new one once
            self._stop()
            conn = self._worker()
            conn.send(task)
        try:
            ready = conn.poll(limits.timeout_s)
            reply: tuple[Any, ...] | None = conn.recv() if ready else None
        except (EOFError, OSError):
            code = self._stop()
            if code == -signal.SIGXCPU:  # the CPU-time cap
                raise IngestionError(_timeout_reason(limits)) from None
            if code == -signal.SIGKILL:  # not killed by us (yet): the kernel's out-of-memory killer
                raise IngestionError(_memory_reason(limits)) from None
            raise IngestionError(_CRASHED.format(code=code)) from None
        except BaseException:  # e.g. Ctrl-C: a late reply must never answer the next file
            self._stop()
            raise
        if reply is None:
            self._stop()
            raise IngestionError(_timeout_reason(limits))
        if reply[0] == "memory":
            self._stop()
        return reply

    def _worker(self) -> Connection:
        if self._process is not None and self._process.poll() is None and self._conn is not None:
            return self._conn
        self._stop()
        parent_end, child_end = multiprocessing.Pipe()
        fd = child_end.fileno()
        paths = [entry for entry in sys.path if entry]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        command = [sys.executable, "-c", f"from ingestion.safe_parse import serve; serve({fd})"]
        try:
            self._process = subprocess.Popen(command, pass_fds=(fd,), stdin=subprocess.DEVNULL, env=env)
        finally:
            child_end.close()
        self._conn = parent_end
        try:
            ready = parent_end.poll(_STARTUP_TIMEOUT_S) and parent_end.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._stop()
            raise IngestionError("Het hulpproces voor het inlezen kon niet worden gestart.")
        return parent_end

    def _stop(self, grace_s: float = 0.05) -> int | None:
        """Stop and reap the worker (killed after ``grace_s``); returns its exit code, None without one."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace_s)  # an idle worker exits by itself once its pipe is closed
        if process.poll() is None:
            process.kill()
        return process.wait()


# --- worker side -------------------------------------------------------------------------------


def serve(fd: int) -> None:
    """Worker entry point: parse one task at a time from the connection on ``fd`` until it closes."""
    conn = Connection(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the caller
    _harden()
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        path, kind, title, limits = task
        reply = _parse(Path(path), kind, title, limits)
        try:
            conn.send(reply)
        except MemoryError:
            reply = ("memory",)
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("error", False, _unexpected(exc, path)))
        if reply[0] == "memory":
            return  # the heap may be fragmented: let the caller start a fresh worker


def _harden() -> None:
    """No core dumps, no network, and the lazily imported parsers loaded up front."""
    import resource
    import socket

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # repairable defects are not the user's concern

    def refuse(*args: object, **kwargs: object) -> Any:
        raise OSError("netwerktoegang is uitgeschakeld tijdens het inlezen")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    with contextlib.suppress(ImportError):
        import ingestion.eurlex_html  # noqa: F401
        import ingestion.formex  # noqa: F401


def _parse(path: Path, kind: str | None, title: str | None, limits: ParseLimits) -> tuple[Any, ...]:
    """Run the checks and the loader under the limits; the reply for the caller."""
    _apply_rlimits(limits)
    try:
        return _parse_limited(path, kind, title, limits)
    finally:
        _lift_memory_limit()  # replying (pickling the result) must not fail on the cap


def _parse_limited(path: Path, kind: str | None, title: str | None, limits: ParseLimits) -> tuple[Any, ...]:
    try:
        suffix = path.suffix.lower()
        if suffix == ".docx":
            check_docx_archive(path, limits)
        elif suffix == ".pdf":
            check_pdf_pages(path, limits)
        with _pypdf_caps(limits):
            return ("ok", load_file(path, kind=kind, title=title))
    except MemoryError:
        return ("memory",)
    except IngestionError as exc:
        causes = list(_causes(exc))
        if any(isinstance(cause, MemoryError) for cause in causes):
            return ("memory",)
        if any(type(cause).__name__ == "LimitReachedError" for cause in causes):
            return ("error", False, PDF_BOMB)
        return ("error", isinstance(exc, UnsupportedFileError), str(exc))
    except Exception as exc:  # noqa: BLE001 - reported as a Dutch reason, the batch goes on
        return ("error", False, _unexpected(exc, str(path)))


def _unexpected(exc: BaseException, path: str) -> str:
    """Log a parser bug with its traceback under a short error id (the worker's stderr is the
    caller's); the Dutch reason names only that id, never the exception."""
    error_id = uuid.uuid4().hex[:8]
    logger.error("Onverwachte fout bij het inlezen van %s (foutcode %s)", path, error_id, exc_info=exc)
    return (
        f"Onverwachte fout bij het verwerken (foutcode {error_id}). "
        "De beheerder kan deze code terugvinden in het logboek."
    )


def _apply_rlimits(limits: ParseLimits) -> None:
    """Cap this process's address space and (cumulative) CPU time for the coming task."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    memory = limits.memory_bytes if hard == resource.RLIM_INFINITY else min(limits.memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(usage.ru_utime + usage.ru_stime + limits.timeout_s) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY else min(cpu, hard), hard))


def _lift_memory_limit() -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


@contextlib.contextmanager
def _pypdf_caps(limits: ParseLimits) -> Iterator[None]:
    """Lower pypdf's per-stream decompression caps (75 MB by default) to ``max_decompressed_bytes``."""
    try:
        from pypdf import apply_configuration, get_configuration
    except ImportError:  # older pypdf: its fixed 75 MB caps and the memory limit apply
        yield
        return
    current = get_configuration()
    names = (
        "zlib_maximum_output_length",
        "lzw_maximum_output_length",
        "run_length_maximum_output_length",
        "brotli_maximum_output_length",
        "array_based_stream_maximum_output_length",
    )
    caps = {
        name: min(getattr(current, name), limits.max_decompressed_bytes)
        for name in names
        if hasattr(current, name)
    }
    with apply_configuration(**caps):
        yield


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _timeout_reason(limits: ParseLimits) -> str:
    seconds = f"{limits.timeout_s:g}".replace(".", ",")
    return f"Het verwerken duurde langer dan {seconds} s en is afgebroken."


def _memory_reason(limits: ParseLimits) -> str:
    return (
        f"Het bestand vraagt te veel geheugen (meer dan {megabytes(limits.memory_bytes)}) "
        "en is niet verwerkt."
    )


_DEFAULT: SafeParser | None = None
_DEFAULT_LOCK = threading.Lock()


def _default_parser() -> SafeParser:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = SafeParser()
            atexit.register(_DEFAULT.close)
        return _DEFAULT
