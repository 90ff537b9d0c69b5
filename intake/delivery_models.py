"""Tables that carry chat updates between the workers: the durable inbox, job leases, the shared send rate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake.models import Base


class InboundUpdate(Base):
    """An update Telegram posted to a webhook worker, stored before the worker said it got it.

    Any worker claims it (a lease), applies it and marks it done; if the worker dies, the lease
    runs out and another takes it. One chat's updates are claimed one at a time, in update-id
    order. The text lives here only until the update is done (`payload` and `chat_id` are then
    cleared); the ids stay for two days so that a second delivery is recognised.
    """

    __tablename__ = "inbound_updates"
    __table_args__ = (
        UniqueConstraint("bot_id", "update_id"),
        Index("ix_inbound_updates_pending", "state", "chat_id", "update_id"),
    )

    # SQLite numbers rows itself only for a column declared INTEGER.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    bot_id: Mapped[int] = mapped_column(BigInteger)
    update_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10))  # pending, done, failed or unparsable
    attempts: Mapped[int]
    holder: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(index=True)
    # Set in the same transaction as the first change an update made: a worker that takes the
    # update again after a crash then knows not to apply it twice.
    applied_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]


class JobLease(Base):
    """Which worker runs a periodic job (reminders, sending, pruning) until when."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    lease_until: Mapped[datetime]


class SendSlot(Base):
    """How many messages the workers together sent to Telegram in one second (the bot's flood limit)."""

    __tablename__ = "send_slots"

    second: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    sent: Mapped[int]
