"""Initial schema: applicants, intake sessions, checklist, attachments, asked questions, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Written out rather than imported from intake.models: a migration must keep meaning
# what it meant when it was written, whatever the models become.
ENUM = sa.String(length=20)
MOMENT = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _applicant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["applicant_id"], ["applicants.id"], name=f"fk_{table}_applicant_id_applicants", ondelete="CASCADE"
    )


def _item_state_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["item_state_id"],
        ["checklist_item_states.id"],
        name=f"fk_{table}_item_state_id_checklist_item_states",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Create every table of the first release, parents first."""
    _create_applicant_tables()
    _create_progress_tables()
    _create_item_children()


def _create_applicant_tables() -> None:
    op.create_table(
        "applicants",
        _id(),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("language", ENUM, nullable=False),
        sa.Column("consent_at", MOMENT, nullable=True),
        sa.Column("reminders_opt_in", sa.Boolean(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_applicants"),
        sa.UniqueConstraint("channel", "external_id", name="uq_applicants_channel_external_id"),
    )
    op.create_table(
        "audit_log",
        _id(),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=128), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_table(
        "asked_questions",
        _id(),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("language", ENUM, nullable=False),
        sa.Column("edition", sa.Integer(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("abstained", sa.Boolean(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        _applicant_fk("asked_questions"),
        sa.PrimaryKeyConstraint("id", name="pk_asked_questions"),
    )
    op.create_index("ix_asked_questions_applicant_id", "asked_questions", ["applicant_id"])


def _create_progress_tables() -> None:
    op.create_table(
        "checklist_item_states",
        _id(),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("status", ENUM, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        _applicant_fk("checklist_item_states"),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_item_states"),
        sa.UniqueConstraint(
            "applicant_id", "edition", "item_id", name="uq_checklist_item_states_applicant_id_edition_item_id"
        ),
    )
    op.create_index("ix_checklist_item_states_applicant_id", "checklist_item_states", ["applicant_id"])
    op.create_table(
        "intake_sessions",
        _id(),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("status", ENUM, nullable=False),
        sa.Column("current_question", sa.String(length=40), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("finished_at", MOMENT, nullable=True),
        _applicant_fk("intake_sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_intake_sessions"),
        sa.UniqueConstraint("applicant_id", "edition", name="uq_intake_sessions_applicant_id_edition"),
    )
    op.create_index("ix_intake_sessions_applicant_id", "intake_sessions", ["applicant_id"])


def _create_item_children() -> None:
    op.create_table(
        "attachments",
        _id(),
        sa.Column("item_state_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=1024), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        _item_state_fk("attachments"),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
    )
    op.create_index("ix_attachments_item_state_id", "attachments", ["item_state_id"])
    op.create_table(
        "checklist_events",
        _id(),
        sa.Column("item_state_id", sa.Integer(), nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("at", MOMENT, nullable=False),
        _item_state_fk("checklist_events"),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_events"),
    )
    op.create_index("ix_checklist_events_item_state_id", "checklist_events", ["item_state_id"])


def downgrade() -> None:
    """Drop every table, children first."""
    for table in (
        "checklist_events", "attachments", "intake_sessions", "checklist_item_states",
        "asked_questions", "audit_log", "applicants",
    ):
        op.drop_table(table)
