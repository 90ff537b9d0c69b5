"""The classifier's spelling view: shared pieces of words, the same in every process."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from knowledge.character_grams import SLOTS, WEIGHT, gram_vector


def _cosine(a: str, b: str) -> float:
    return float(gram_vector(a) @ gram_vector(b)) / WEIGHT**2


def test_spellings_of_one_word_share_most_of_their_pieces() -> None:
    assert _cosine("cluster labellisé", "cluster tlabelisa") > 0.5
    assert _cosine("cluster jdid", "cluster jdad") > _cosine("cluster jdid", "cluster 9dim")
    assert _cosine("Un cluster labellisé", "la date limite") < 0.2


def test_accents_and_case_do_not_change_the_view() -> None:
    assert np.array_equal(gram_vector("Éligibilité du CLUSTER"), gram_vector("eligibilite du cluster"))


@pytest.mark.parametrize("text", ["", "?!", "   "])
def test_a_text_without_words_gives_an_empty_view(text: str) -> None:
    vector = gram_vector(text)
    assert vector.shape == (SLOTS,) and not vector.any()


def test_the_view_has_the_chosen_length() -> None:
    assert float(np.linalg.norm(gram_vector("wach mazal lwe9t bach ndepose?"))) == pytest.approx(WEIGHT)


def test_another_process_computes_the_same_view() -> None:
    """Kept classifier weights are read by other processes: the slots must not depend on the process."""
    text = "ch7al d lflous kay3tiw l cluster?"
    code = ("import sys; from knowledge.character_grams import gram_vector; "
            "print(','.join(map(str, gram_vector(sys.argv[1]).nonzero()[0])))")
    printed = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, check=True,
                             env={"PYTHONHASHSEED": "123", "PATH": ""}, cwd=".").stdout.strip()
    assert printed == ",".join(map(str, gram_vector(text).nonzero()[0]))
