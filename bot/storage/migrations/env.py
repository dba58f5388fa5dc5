"""Alembic environment: runs our migrations on the database the bot is given."""

from alembic import context
from sqlalchemy import create_engine

from bot.storage.db import install_sqlite_pragmas
from bot.storage.models import Base

config = context.config
engine = create_engine(config.attributes["database_url"])
install_sqlite_pragmas(engine)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
