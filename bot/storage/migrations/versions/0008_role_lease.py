"""The role's lease row: the last heartbeat of the active process (PostgreSQL uses it).

Revision ID: 0008
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0008"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "role_lease",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("holder", sa.String(length=40), nullable=True),
        sa.Column("heartbeat_at", bot.storage.models.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_lease")),
    )
    op.bulk_insert(table, [{"id": 1}])


def downgrade() -> None:
    op.drop_table("role_lease")
