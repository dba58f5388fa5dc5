"""/ask (members' conversations with the admins, relayed message ids, blocks); announcement media.

Revision ID: 0012
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0012"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ask_threads",
        sa.Column("member_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("topic_id", sa.BigInteger(), nullable=True),
        sa.Column("header_message_id", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.Column("closed_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_ask_threads")),
    )
    op.create_index(op.f("ix_ask_threads_topic_id"), "ask_threads", ["topic_id"])
    op.create_table(
        "ask_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("admin_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("admin_message_id", sa.BigInteger(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_messages")),
    )
    op.create_index(op.f("ix_ask_messages_member_id"), "ask_messages", ["member_id"])
    op.create_index(op.f("ix_ask_messages_at"), "ask_messages", ["at"])
    op.create_table(
        "ask_blocks",
        sa.Column("member_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("blocked_by", sa.BigInteger(), nullable=True),
        sa.Column("blocked_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.Column("told_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_ask_blocks")),
    )

    with op.batch_alter_table("announcements") as batch:
        batch.add_column(sa.Column("media_kind", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("media_file_id", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("announcements") as batch:
        batch.drop_column("media_file_id")
        batch.drop_column("media_kind")
    op.drop_table("ask_blocks")
    op.drop_index(op.f("ix_ask_messages_at"), table_name="ask_messages")
    op.drop_index(op.f("ix_ask_messages_member_id"), table_name="ask_messages")
    op.drop_table("ask_messages")
    op.drop_index(op.f("ix_ask_threads_topic_id"), table_name="ask_threads")
    op.drop_table("ask_threads")
