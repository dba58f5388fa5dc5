"""Flows in progress (conversation steps, drafts) and the webhook's generated secret.

Revision ID: 0009
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "flow_states",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_flow_states")),
    )
    op.create_index(op.f("ix_flow_states_user_id"), "flow_states", ["user_id"])
    op.create_table(
        "bot_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.Column("created_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_bot_secrets")),
    )


def downgrade() -> None:
    op.drop_table("bot_secrets")
    op.drop_index(op.f("ix_flow_states_user_id"), table_name="flow_states")
    op.drop_table("flow_states")
