"""The multilingual USE model kept in the data directory: loaded once, read back alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.embeddings import UniversalSentenceEncoderEmbeddings
from knowledge.use_model import PREFIX

QUESTIONS = ["Quelle est la date limite ?", "ما هو آخر أجل لإيداع الملفات؟", "wach kayn chi deadline 3afak",
             "Ｆｕｌｌ-width text, ½ and ﬁ ligatures"]


@pytest.fixture(scope="module")
def loaded() -> np.ndarray:
    """Return the questions' vectors from the model as the package loads it."""
    model = UniversalSentenceEncoderEmbeddings()
    return np.array([model.embed_query(q) for q in QUESTIONS])


def test_the_kept_model_gives_the_same_vectors(loaded: np.ndarray, tmp_path: Path) -> None:
    first = UniversalSentenceEncoderEmbeddings(tmp_path)
    assert np.array_equal([first.embed_query(q) for q in QUESTIONS], loaded)
    [kept] = tmp_path.glob(f"{PREFIX}*.pickle")
    (tmp_path / f"{PREFIX}0.1-older.pickle").write_bytes(b"")  # another version's copy, left behind
    second = UniversalSentenceEncoderEmbeddings(tmp_path)
    assert np.array_equal([second.embed_query(q) for q in QUESTIONS], loaded)
    assert set(tmp_path.iterdir()) == {kept, tmp_path / f"{PREFIX}0.1-older.pickle"}  # read, not rewritten


def test_a_torn_or_foreign_file_is_loaded_afresh_and_replaced(loaded: np.ndarray, tmp_path: Path) -> None:
    UniversalSentenceEncoderEmbeddings(tmp_path).embed_query("warm-up")
    [kept] = tmp_path.glob(f"{PREFIX}*.pickle")
    (tmp_path / f"{PREFIX}0.1-older.pickle").write_bytes(b"")
    kept.write_bytes(b"\x80\x05cos\nsystem\n.")  # a pickle that would call os.system
    model = UniversalSentenceEncoderEmbeddings(tmp_path)
    assert np.array_equal([model.embed_query(q) for q in QUESTIONS], loaded)
    assert list(tmp_path.iterdir()) == [kept] and b"NumpyBackend" in kept.read_bytes()
