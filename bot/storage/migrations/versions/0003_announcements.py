"""Announcements, the pause state of content posts, and the log of schedule changes.

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("text_html", sa.Text(), nullable=False),
        sa.Column("pin", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("run_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.Column("cron", sa.String(length=120), nullable=True),
        sa.Column("when_text", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("last_run", bot.storage.models.UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    op.create_index(op.f("ix_announcements_chat_id"), "announcements", ["chat_id"])
    op.create_index(op.f("ix_announcements_status"), "announcements", ["status"])
    op.create_table(
        "post_states",
        sa.Column("post_id", sa.String(length=40), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("last_run", bot.storage.models.UTCDateTime(), nullable=True),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_post_states")),
    )
    op.create_table(
        "schedule_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("target", sa.String(length=48), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_changes")),
    )
    op.create_index(op.f("ix_schedule_changes_target"), "schedule_changes", ["target"])


def downgrade() -> None:
    op.drop_index(op.f("ix_schedule_changes_target"), table_name="schedule_changes")
    op.drop_table("schedule_changes")
    op.drop_table("post_states")
    op.drop_index(op.f("ix_announcements_status"), table_name="announcements")
    op.drop_index(op.f("ix_announcements_chat_id"), table_name="announcements")
    op.drop_table("announcements")
