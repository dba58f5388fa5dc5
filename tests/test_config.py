"""Settings: bad values name the variable and exit 2; the token never shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import PROJECT_DIR, ConfigError, load_settings, variable_names

TOKEN = "123456789:AAHsecretSECRETsecret_0123456789abcd"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    for name in variable_names():
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE: is not an IANA time zone"),
        ("ADMIN_USER_IDS", "12,abc", "ADMIN_USER_IDS: must be Telegram user ids"),
        ("COMMUNITY_CHAT_ID", "the-group", "COMMUNITY_CHAT_ID:"),
        ("TELEGRAM_API_URL", "api.telegram.org", "TELEGRAM_API_URL: must be an http(s) URL"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: must start with"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL:"),
    ],
)
def test_bad_value_names_the_variable_and_exits_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    says: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["content", "check"]) == 2
    err = capsys.readouterr().err
    assert says in err
    assert "Traceback" not in err


def test_malformed_token_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN.replace(":", ";"))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "TELEGRAM_BOT_TOKEN" in str(caught.value)
    assert "AAHsecret" not in str(caught.value)


def test_settings_read_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_USER_IDS=1, 2\n")
    settings = load_settings()
    assert settings.token == TOKEN
    assert settings.admin_user_ids == {1, 2}
    assert "AAHsecret" not in repr(settings)


def test_run_without_token_explains_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN is not set" in err
    assert ".env.example" in err
    assert "console" in err


def test_env_example_documents_every_variable() -> None:
    example = (PROJECT_DIR / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert set(variable_names()) <= documented


def test_api_url_is_used_for_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    from bot.app import build_application

    application = build_application(load_settings())
    assert application.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
