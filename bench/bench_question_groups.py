"""How well the staff's questions page groups questions by meaning, on the dev split: pairs
of questions with the same gold answer card should share a group, others should not.

    .venv/bin/python bench/bench_question_groups.py

Prints, for thresholds around the shipped one, the pairwise precision, recall and F1, the
number of groups, and the time to embed and to group the dev questions. Only the dev split
is read (the test split stays frozen).
"""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path

import numpy as np

from core.settings import Settings
from core.wiring import build_knowledge_base
from knowledge.evaluation import load_cases
from knowledge.question_groups import SAME_NEED, group_by_meaning, meaning_vectors

DEV = Path(__file__).resolve().parents[1] / "eval" / "dev.yaml"
THRESHOLDS = (0.44, 0.52, SAME_NEED, 0.68, 0.76)


def pair_scores(gold: list[str], groups: list[list[int]]) -> tuple[float, float]:
    """Return precision and recall of "same group" against "same gold card" over all pairs."""
    group_of = {row: n for n, rows in enumerate(groups) for row in rows}
    same_gold = same_group = both = 0
    for a, b in itertools.combinations(range(len(gold)), 2):
        g, p = gold[a] == gold[b], group_of[a] == group_of[b]
        same_gold, same_group, both = same_gold + g, same_group + p, both + (g and p)
    return both / max(same_group, 1), both / max(same_gold, 1)


def main() -> None:
    cases = [c for c in load_cases(DEV) if c.gold]
    gold = [c.gold[0] for c in cases]
    with tempfile.TemporaryDirectory() as data_dir:
        base = build_knowledge_base(Settings(data_dir=Path(data_dir)))
        started = time.perf_counter()
        shipped = base.group_questions([c.question for c in cases])
        print(f"{len(cases)} dev questions with a gold card ({len(set(gold))} cards): embedded and grouped "
              f"in {time.perf_counter() - started:.2f} s, {len(shipped.groups)} groups")
        embedded = base._meanings._embedded([c.question for c in cases])  # measuring only
        probabilities = np.stack([base.cards.card_probabilities(c.question, row) for c, row in zip(cases, embedded)])
    vectors = meaning_vectors(embedded, probabilities)
    for threshold in THRESHOLDS:
        started = time.perf_counter()
        groups = [g.members for g in group_by_meaning(vectors, threshold)]
        grouped = (time.perf_counter() - started) * 1000
        precision, recall = pair_scores(gold, groups)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        mark = " (shipped)" if threshold == SAME_NEED else ""
        print(f"threshold {threshold:.2f}{mark}: pairs precision {precision:.2f}, recall {recall:.2f}, "
              f"F1 {f1:.2f}; {len(groups)} groups, grouped in {grouped:.1f} ms")


if __name__ == "__main__":
    main()
