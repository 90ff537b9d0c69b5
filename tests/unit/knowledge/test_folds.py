"""Dev cross-validation's folds: the same on every machine, balanced, and other partitions move questions."""

from __future__ import annotations

import zlib
from collections import Counter

from knowledge.fitting import fold_of

IDS = [f"{language}-{n:03d}" for language in ("fr", "ar", "en") for n in range(1, 68)]


def test_the_first_partition_is_the_checksum_of_the_id_that_earlier_figures_used() -> None:
    assert [fold_of(case_id, 5) for case_id in IDS] == [zlib.crc32(case_id.encode()) % 5 for case_id in IDS]
    assert [fold_of(case_id, 5, 0) for case_id in IDS] == [fold_of(case_id, 5) for case_id in IDS]


def test_every_partition_fills_every_fold() -> None:
    for partition in range(4):
        sizes = Counter(fold_of(case_id, 5, partition) for case_id in IDS)
        assert sorted(sizes) == [0, 1, 2, 3, 4]
        assert min(sizes.values()) >= len(IDS) // 10


def test_another_partition_moves_most_questions_to_another_fold() -> None:
    moved = sum(fold_of(case_id, 5, 0) != fold_of(case_id, 5, 1) for case_id in IDS)
    assert moved > len(IDS) // 2
