"""Community: blog feed state and seen articles, member joins and leaves, welcomes to delete.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_state",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_poll_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.Column("last_polled_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_state")),
        sa.UniqueConstraint("url", name=op.f("uq_feed_state_url")),
    )
    op.create_table(
        "feed_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=64), nullable=False),
        sa.Column("link_key", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("link", sa.String(length=1000), nullable=False),
        sa.Column("seen_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.Column("posted_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["feed_state.id"],
            name=op.f("fk_feed_entries_feed_id_feed_state"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_entries")),
        sa.UniqueConstraint("feed_id", "entry_key", name=op.f("uq_feed_entries_feed_id")),
    )
    op.create_index(op.f("ix_feed_entries_link_key"), "feed_entries", ["link_key"])
    op.create_table(
        "member_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_events")),
    )
    op.create_index(op.f("ix_member_events_user_id"), "member_events", ["user_id"])
    op.create_index(op.f("ix_member_events_at"), "member_events", ["at"])
    op.create_table(
        "welcome_messages",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("delete_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "message_id", name=op.f("pk_welcome_messages")),
    )


def downgrade() -> None:
    op.drop_table("welcome_messages")
    op.drop_index(op.f("ix_member_events_at"), table_name="member_events")
    op.drop_index(op.f("ix_member_events_user_id"), table_name="member_events")
    op.drop_table("member_events")
    op.drop_index(op.f("ix_feed_entries_link_key"), table_name="feed_entries")
    op.drop_table("feed_entries")
    op.drop_table("feed_state")
