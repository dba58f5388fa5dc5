"""Operations end to end: `fibrobot doctor`, /metrics and /healthz, backup and restore.

The doctor runs as the real command against the emulator (through the compat proxy, which
answers getWebhookInfo, getChat and the bot's getChatMember: GAPs 6, 8, 9), once on a well
set-up group and twice on badly set-up ones. The metrics are scraped from the real
`fibrobot run` process.
"""

from __future__ import annotations

import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from compat import ADMIN_RIGHTS, CompatProxy
from conftest import GROUP, MEMBER, running_bot
from e2e_harness import (
    BOT_TOKEN,
    E2E,
    REPO_ROOT,
    Emulator,
    bot_env,
    fibrobot_executable,
    free_port,
    require_emulator,
    wait_until,
)
from prometheus_client.parser import text_string_to_metric_families

from tests.feedserver import feed_server, items, rss

pytestmark = pytest.mark.e2e

CONTENT_DIR = REPO_ROOT / "content"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CompatProxy, Path]]:
    """An emulator and its compat proxy with the community group; no bot process."""
    require_emulator()
    folder = tmp_path_factory.mktemp("ops-e2e")
    emulator = Emulator(folder / "emulator.log")
    proxy = CompatProxy(emulator.url).start()
    proxy.register_chat(GROUP)
    proxy.register_user(MEMBER)
    try:
        yield proxy, folder
    finally:
        proxy.stop()
        emulator.stop()


@pytest.fixture
def proxy(stack: tuple[CompatProxy, Path]) -> Iterator[CompatProxy]:
    """The proxy, with the bot an administrator and no webhook again after each test."""
    yield stack[0]
    stack[0].bot_member = {"status": "administrator", **ADMIN_RIGHTS}
    stack[0].webhook_url = ""


def doctor(proxy: CompatProxy, folder: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """`fibrobot doctor` with the e2e environment and ``settings``."""
    env = bot_env(
        api_url=proxy.url, db_path=folder / "doctor.db", content_dir=CONTENT_DIR, admin_ids=[]
    )
    env.update(settings)
    return subprocess.run(
        [str(fibrobot_executable()), "doctor"],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def ready(tmp_path: Path) -> dict[str, str]:
    """A well set-up deployment: real links, a migrated database, a working feed."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    links = content / "en" / "links.yaml"
    links.write_text(links.read_text().replace("example.org/replace-me", "fibro.community"))
    url = f"sqlite:///{tmp_path}/doctor.db"
    subprocess.run(
        [str(fibrobot_executable()), "db", "upgrade"],
        env={**bot_env(api_url="http://127.0.0.1:1", db_path=tmp_path / "doctor.db",
                       content_dir=content, admin_ids=[]), "DATABASE_URL": url},
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return {"CONTENT_DIR": str(content), "DATABASE_URL": url, "TIMEZONE": "Europe/Madrid"}


def test_doctor_on_a_well_set_up_group(
    proxy: CompatProxy, tmp_path: Path, ready: dict[str, str]
) -> None:
    with feed_server() as blog:
        blog.serve("/feed.xml", rss(items(1, 2, 3)))
        result = doctor(proxy, tmp_path, FEED_URL=blog.url("/feed.xml"), **ready)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("✗")] == []
    assert "✓ privacy mode: on, but the bot is an admin of the group, so it sees all." in lines
    assert f"✓ community group: {GROUP['title']} (supergroup)." in lines
    assert "✓ bot is admin: administrator: it sees members join and leave." in lines
    assert lines[-1] == "All required checks passed, 0 warning(s)."
    assert BOT_TOKEN not in result.stdout + result.stderr


def test_doctor_on_a_badly_set_up_group(proxy: CompatProxy, tmp_path: Path) -> None:
    # The bot was added as a plain member, a test webhook was left behind, the feed URL has
    # a typo, the links are still placeholders and the bot has never started.
    proxy.bot_member = {"status": "member"}
    proxy.webhook_url = "https://old-test.example.net/hook/secret-path"
    with feed_server() as blog:
        blog.serve("/feed.xml", rss(items(1)))
        result = doctor(proxy, tmp_path, FEED_URL=blog.url("/fed.xml"))
    print(f"\n--- fibrobot doctor, badly set-up group ---\n{result.stdout}")  # shown with -s
    assert result.returncode == 1
    failures = [line.split(":")[0] for line in result.stdout.splitlines() if line[0] == "✗"]
    assert failures == [
        "✗ privacy mode (warning)",
        "✗ webhook",
        "✗ database (warning)",
        "✗ bot is admin",
        "✗ can pin",
        "✗ can delete",
        "✗ content",
        "✗ blog feed",
    ]
    assert "secret-path" not in result.stdout
    assert "6 problem(s) to fix, 2 warning(s)." in result.stdout


def test_doctor_on_a_wrong_group_id(proxy: CompatProxy, tmp_path: Path) -> None:
    result = doctor(proxy, tmp_path, COMMUNITY_CHAT_ID="-1009999999999")
    assert result.returncode == 1
    assert (
        "✗ community group: chat -1009999999999 is not reachable (Chat not found). Fix: check "
        "COMMUNITY_CHAT_ID (a supergroup's id starts with -100) and add the bot to the group."
    ) in result.stdout.splitlines()


def test_doctor_with_a_refused_token(proxy: CompatProxy, tmp_path: Path) -> None:
    result = doctor(proxy, tmp_path, TELEGRAM_API_URL="http://127.0.0.1:1")
    assert result.returncode == 1
    assert result.stdout.startswith("✗ token: cannot reach the Bot API at http://127.0.0.1:1")


# --- The running bot: metrics, health, backup and restore ------------------------------------


@pytest.fixture(scope="module")
def metered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[E2E, int]]:
    """The real bot with METRICS_PORT set."""
    port = free_port()
    with running_bot(tmp_path_factory.mktemp("metrics-e2e"), {"METRICS_PORT": str(port)}) as env:
        yield env, port


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.status, resp.read().decode()


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    _, body = get(f"http://127.0.0.1:{port}/metrics")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


def test_metrics_count_what_the_member_did(metered: tuple[E2E, int]) -> None:
    env, port = metered
    member = env.client(MEMBER)
    assert get(f"http://127.0.0.1:{port}/healthz") == (200, "ok\n")
    member.ask("/faq cost")
    member.ask("/links")

    def counted() -> bool:
        return scrape(port).get(("fibrobot_updates_total", (("type", "message"),))) == 2

    wait_until(counted, 5, "two messages counted")
    samples = scrape(port)
    assert samples[("fibrobot_messages_sent_total", (("kind", "answer"),))] >= 2
    assert samples[("fibrobot_active", ())] == 1
    assert samples[("fibrobot_telegram_errors_total", (("kind", "403"),))] == 0
    assert not env.errors_since(0)


def test_backup_works_and_restore_refuses_while_the_bot_runs(
    metered: tuple[E2E, int], tmp_path: Path
) -> None:
    env, _ = metered
    database = env.bot.log_path.parent / "e2e.db"
    tool_env = bot_env(
        api_url=env.proxy.url, db_path=database, content_dir=CONTENT_DIR, admin_ids=[]
    )
    copy = tmp_path / "copy.db"
    backup = subprocess.run(
        [str(fibrobot_executable()), "db", "backup", str(copy)],
        env=tool_env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert backup.returncode == 0, backup.stderr
    assert "integrity check ok" in backup.stdout
    before = database.read_bytes()
    restore = subprocess.run(
        [str(fibrobot_executable()), "db", "restore", str(copy)],
        env=tool_env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert restore.returncode == 1
    assert "the bot is running on this database" in restore.stderr
    assert database.read_bytes()[:100] == before[:100]
    assert not list(database.parent.glob("*.before-restore-*"))
