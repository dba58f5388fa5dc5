"""Daily tips: subscriptions, their append-only event log, and tip deliveries.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("next_due_utc", bot.storage.models.UTCDateTime(), nullable=True),
        sa.Column("paused_until", bot.storage.models.UTCDateTime(), nullable=True),
        sa.Column("created_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.Column("updated_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("member_id", name=op.f("uq_subscriptions_member_id")),
    )
    op.create_index(op.f("ix_subscriptions_next_due_utc"), "subscriptions", ["next_due_utc"])
    op.create_table(
        "subscription_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_events")),
    )
    op.create_index(op.f("ix_subscription_events_at"), "subscription_events", ["at"])
    op.create_index(op.f("ix_subscription_events_member_id"), "subscription_events", ["member_id"])
    op.create_table(
        "tip_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("tip_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", bot.storage.models.UTCDateTime(), nullable=False),
        sa.Column("sent_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.Column("retry_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_tip_deliveries_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_deliveries")),
        sa.UniqueConstraint(
            "subscription_id", "local_date", name=op.f("uq_tip_deliveries_subscription_id")
        ),
    )
    op.create_index(op.f("ix_tip_deliveries_due_at"), "tip_deliveries", ["due_at"])
    op.create_index(op.f("ix_tip_deliveries_retry_at"), "tip_deliveries", ["retry_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tip_deliveries_retry_at"), table_name="tip_deliveries")
    op.drop_index(op.f("ix_tip_deliveries_due_at"), table_name="tip_deliveries")
    op.drop_table("tip_deliveries")
    op.drop_index(op.f("ix_subscription_events_member_id"), table_name="subscription_events")
    op.drop_index(op.f("ix_subscription_events_at"), table_name="subscription_events")
    op.drop_table("subscription_events")
    op.drop_index(op.f("ix_subscriptions_next_due_utc"), table_name="subscriptions")
    op.drop_table("subscriptions")
