"""Foundation: chats, members, FAQ usage and the community group.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chats",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("first_seen", bot.storage.models.UTCDateTime(), nullable=False),
        sa.Column("last_seen", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chats")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_seen", bot.storage.models.UTCDateTime(), nullable=False),
        sa.Column("last_seen", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
    )
    op.create_table(
        "faq_usage",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("topic_id", sa.String(length=40), nullable=False),
        sa.Column("chat_type", sa.String(length=16), nullable=False),
        sa.Column("used_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_usage")),
    )
    op.create_index(op.f("ix_faq_usage_topic_id"), "faq_usage", ["topic_id"])
    op.create_index(op.f("ix_faq_usage_used_at"), "faq_usage", ["used_at"])
    op.create_table(
        "community",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("set_by", sa.BigInteger(), nullable=True),
        sa.Column("set_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community")),
    )


def downgrade() -> None:
    op.drop_table("community")
    op.drop_index(op.f("ix_faq_usage_used_at"), table_name="faq_usage")
    op.drop_index(op.f("ix_faq_usage_topic_id"), table_name="faq_usage")
    op.drop_table("faq_usage")
    op.drop_table("members")
    op.drop_table("chats")
