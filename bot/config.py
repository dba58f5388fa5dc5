"""Settings read once from the environment and ``.env``, then passed down."""

from __future__ import annotations

import re
from datetime import time, timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(Exception):
    """Raised when a setting is wrong; the message names the variable, never its secret value."""


class Settings(BaseSettings):
    """Every setting of the bot. ``.env.example`` documents each variable."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite:///data/fibrobot.db"
    community_chat_id: int | None = None
    timezone: str = "UTC"
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    content_dir: Path = PROJECT_DIR / "content"
    # The language of posts to everyone, and of members whose language is not shipped.
    community_language: str = Field(default="en", pattern=r"^[a-z]{2,3}$")
    announce_grace_minutes: int = Field(default=60, ge=0, le=1440)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # --- Operations: Prometheus metrics and /healthz in polling mode (0: off)
    metrics_port: int = Field(default=0, ge=0, le=65535)
    metrics_listen: str = "127.0.0.1"
    # --- Community: blog feed and welcome
    feed_url: str | None = None
    feed_poll_minutes: int = Field(default=30, ge=1, le=1440)
    # Tests only: poll every this many seconds instead (the e2e cadence test cannot wait minutes).
    feed_poll_seconds: float | None = Field(default=None, gt=0, le=3600)
    feed_message_thread_id: int | None = None
    feed_digest: bool = False
    feed_digest_time: time = time(18, 0)
    feed_timeout_seconds: float = Field(default=15.0, gt=0, le=120)
    welcome_delete_minutes: int = Field(default=0, ge=0, le=2880)
    # Joins within this many seconds of the first get one welcome together (Telegram allows
    # about 20 messages a minute in one group).
    welcome_gather_seconds: float = Field(default=5.0, ge=0, le=60)
    # --- /ask: members write to the admins privately
    admin_chat_id: int | None = None
    ask_limit_per_hour: int = Field(default=5, ge=1, le=100)
    # Daily tips
    tips_missed_grace_hours: float = Field(default=3.0, ge=0, le=24)
    tips_rate_limit: float = Field(default=30.0, gt=0, le=10_000)
    tips_job_interval: float = Field(default=60.0, gt=0, le=3600)
    # One active process among several (bot.runtime.lease): a standby takes over within this.
    failover_seconds: float = Field(default=15.0, ge=3, le=600)
    # Webhook mode (empty WEBHOOK_URL: long polling)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    # Tests only: start the bot's clock at this moment (then let it run, TEST_CLOCK_SPEED x).
    test_clock_start: AwareDatetime | None = None
    test_clock_speed: float = Field(default=1.0, gt=0, le=10_000)

    @field_validator("test_clock_start", mode="before")
    @classmethod
    def _blank_clock_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not TOKEN_PATTERN.match(value.strip()):
            # Never echo the value: it may be a real token with a typo.
            raise ValueError("does not look like a bot token from BotFather (digits:letters)")
        return value.strip()

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("must be an http(s) URL such as https://api.telegram.org")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @field_validator("feed_url", mode="before")
    @classmethod
    def _feed_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parsed = urlparse(str(value).strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("must be the http(s) address of an RSS or Atom feed")
        return str(value).strip()

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parsed = urlparse(str(value).strip())
        # Telegram calls webhooks over HTTPS only; plain http is for a local Bot API server.
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("must be the public https:// address Telegram posts updates to")
        return str(value).strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        # Telegram's setWebhook: secret_token is 1-256 characters, A-Z, a-z, 0-9, _ and -.
        if not isinstance(value, str) or not SECRET_PATTERN.match(value.strip()):
            raise ValueError("must be 1 to 256 characters: letters, digits, _ and - only")
        return value.strip()

    @field_validator("webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        try:
            ip_address(value.strip())
        except ValueError:
            raise ValueError("must be an IP address such as 127.0.0.1 or 0.0.0.0") from None
        return value.strip()

    @field_validator("feed_message_thread_id", "feed_poll_seconds", "admin_chat_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not an IANA time zone name such as Europe/Madrid") from None
        return value

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"-?\d+", p) for p in parts):
                raise ValueError("must be Telegram user ids separated by commas, like 123,456")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def zone(self) -> ZoneInfo:
        """The community time zone."""
        return ZoneInfo(self.timezone)

    @property
    def feed_poll_interval(self) -> timedelta:
        """How often the blog feed is read: FEED_POLL_SECONDS (tests) or FEED_POLL_MINUTES."""
        if self.feed_poll_seconds is not None:
            return timedelta(seconds=self.feed_poll_seconds)
        return timedelta(minutes=self.feed_poll_minutes)

    @property
    def webhook_path(self) -> str:
        """The URL path Telegram posts to (``/`` when WEBHOOK_URL has none)."""
        return urlparse(self.webhook_url or "").path or "/"

    @property
    def token(self) -> str | None:
        """The bot token in clear, for the Bot API client only."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


def load_settings(**overrides: object) -> Settings:
    """Build the settings, turning validation errors into one readable ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise ConfigError("\n".join(lines)) from None


def variable_names() -> list[str]:
    """The environment variable of every setting (``.env.example`` must list them all)."""
    return [name.upper() for name in Settings.model_fields]
