"""The one list of retriever modes: settings, the CLI and the retriever all read it here.

A module of its own so that reading settings does not import the retrieval stack.
"""

from __future__ import annotations

from typing import Literal, get_args

RetrieverMode = Literal["hybrid", "dense", "bm25"]
RETRIEVER_MODES: tuple[str, ...] = get_args(RetrieverMode)
