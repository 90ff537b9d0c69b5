"""Files the data directory keeps as caches (card vectors, classifier weights, a loaded model).

Each is written whole or not at all, by several processes at once (the bot and the staff
workspace reload together), and losing one only costs recomputing it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def keep_whole(path: Path, write: Callable[[Path], None], what: str, replaces: str | None = None) -> None:
    """Write `path` through `write` on a partial file of this writer's own, then rename it over `path`.

    With a shared partial name, a second writer renamed the first's file away and the first
    failed its question; readers see the old file or the new one, never half of one. Files
    of the folder matching the glob `replaces` (older versions of this cache) are removed
    once the new one is in place. A cache that cannot be written stays in memory: warned, not raised.
    """
    partial = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.partial{path.suffix}")
    try:
        write(partial)
        partial.replace(path)
        for old in path.parent.glob(replaces) if replaces else ():
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as error:
        logger.warning("cannot keep the %s in %s: %s", what, path, error)
        partial.unlink(missing_ok=True)
