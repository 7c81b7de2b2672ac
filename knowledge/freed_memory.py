"""Overwrite freed heap memory, so erased text cannot reach disk through uninitialised buffers.

Chroma's vector index (hnswlib, under Chroma's Rust core) allocates its element arrays for a
whole capacity block with ``malloc`` and writes the block to ``data_level0.bin`` and
``length.bin``, the unused tail included. Memory from ``malloc`` is not cleared: in a process
that earlier held a document's text (ingested, shown, then erased) that tail can hold
fragments of it, and the text of an erased client then turns up in another collection's index
file. Measured with chromadb 1.5: 5 of 5 runs leaked such a fragment.

glibc can fill freed memory with a fixed byte and new memory with its complement
(``mallopt(M_PERTURB)``, the same switch as the ``MALLOC_PERTURB_`` environment variable).
With byte 0xFF new blocks start zeroed and freed blocks hold no text. We switch it on when
the application is built, before any document is read. It does not cover glibc's per-thread
cache of small blocks (up to about 1 KB); hnswlib clears its small allocations itself.
A Chroma *server* is another process: start it with ``MALLOC_PERTURB_=255`` (see the README).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_PERTURB = -6  # glibc <malloc.h>
_FREED_BYTE = 0xFF  # freed memory is filled with 0xFF, new memory with 0x00


def scrub_freed_memory() -> bool:
    """Ask glibc to overwrite memory on free (and zero it on allocation); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_PERTURB, _FREED_BYTE))
