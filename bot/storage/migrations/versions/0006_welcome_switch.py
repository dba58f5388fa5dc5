"""Welcomes: an on/off switch kept with the community, and the latest welcome to replace.

``community.chat_id`` may now be empty: the row can hold the welcome switch while the group
itself still comes from COMMUNITY_CHAT_ID. ``welcome_messages.delete_at`` may be empty: a
welcome kept until the next one replaces it.

Revision ID: 0006
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0006"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("community") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=True)
        batch.add_column(
            sa.Column("welcome_enabled", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("welcome_messages") as batch:
        batch.alter_column(
            "delete_at", existing_type=bot.storage.models.UTCDateTime(), nullable=True
        )


def downgrade() -> None:
    # Rows the older schema cannot hold: a switch without a group, welcomes kept for good.
    op.execute(sa.text("DELETE FROM community WHERE chat_id IS NULL"))
    op.execute(sa.text("DELETE FROM welcome_messages WHERE delete_at IS NULL"))
    with op.batch_alter_table("welcome_messages") as batch:
        batch.alter_column(
            "delete_at", existing_type=bot.storage.models.UTCDateTime(), nullable=False
        )
    with op.batch_alter_table("community") as batch:
        batch.drop_column("welcome_enabled")
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=False)
