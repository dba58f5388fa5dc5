"""deploy/: the systemd unit, the container recipe and the compose file, checked here.

Base images cannot be fetched on these machines, so the recipe is not built; instead every
command it runs, every setting it gives and the health check it relies on are checked
against the code: console scripts in pyproject.toml, subcommands of `fibrobot`, Settings
fields (validated), and /healthz served by the metrics server.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import parser
from bot.config import PROJECT_DIR, load_settings, variable_names
from bot.runtime.metrics import Metrics, MetricsServer, wsgi_app

DEPLOY = PROJECT_DIR / "deploy"
UNIT = DEPLOY / "fibrobot.service"
# The e2e tests require the bot to exit within this many seconds of SIGTERM.
BOT_STOP_SECONDS = 5


def console_scripts() -> set[str]:
    pyproject = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())
    return set(pyproject["project"]["scripts"])


def is_fibrobot_command(argv: list[str]) -> bool:
    """A console script of ours with arguments `fibrobot` accepts."""
    if not argv or argv[0] not in console_scripts():
        return False
    try:
        parser().parse_args(argv[1:])
    except SystemExit:
        return False
    return True


def check_settings(env: dict[str, str]) -> None:
    """Every variable is a real setting and its value is valid."""
    ours = {k: v for k, v in env.items() if not k.startswith(("PYTHON", "POSTGRES"))}
    unknown = set(ours) - set(variable_names())
    assert not unknown, f"not FibroBot settings: {unknown}"
    load_settings(**{k.lower(): v for k, v in ours.items()})


# --- systemd -------------------------------------------------------------------------------


def unit() -> configparser.ConfigParser:
    config = configparser.ConfigParser(strict=False, interpolation=None)
    config.optionxform = str  # type: ignore[assignment,method-assign]
    config.read(UNIT)
    return config


def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        reason = "systemd-analyze is missing (Debian's systemd package; make test installs it)"
        if os.environ.get("FIBROBOT_REQUIRE_SYSTEMD"):
            pytest.fail(f"{reason} but FIBROBOT_REQUIRE_SYSTEMD is set")
        pytest.skip(f"!!! UNIT FILE NOT VERIFIED: {reason}")
    # The unit runs the venv's fibrobot from /opt/fibrobot: point it at this checkout's.
    venv = Path(sys.executable).parent
    text = UNIT.read_text().replace("/opt/fibrobot/.venv/bin", str(venv))
    checked = tmp_path / "fibrobot.service"
    checked.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(checked)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    # Unknown or misspelt keys are only warnings for systemd: any output fails the test.
    assert (result.returncode, result.stderr + result.stdout) == (0, "")


def test_the_unit_restarts_stops_cleanly_and_is_hardened() -> None:
    service = unit()["Service"]
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert int(service["TimeoutStopSec"]) > BOT_STOP_SECONDS
    assert service["User"] not in ("root", "0")
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"].split() == [f"/var/lib/{service['StateDirectory']}"]
    assert service["WorkingDirectory"] == service["ReadWritePaths"]
    assert service["EnvironmentFile"].endswith("/.env")
    argv = shlex.split(service["ExecStart"])
    assert is_fibrobot_command([Path(argv[0]).name, *argv[1:]])
    assert argv[1:] == ["run"]


def test_the_default_database_is_inside_the_writable_directory() -> None:
    service = unit()["Service"]
    name, _, url = service["Environment"].partition("=")
    check_settings({name: url})
    path = Path(url.removeprefix("sqlite:///"))
    assert path.is_absolute()
    assert path.is_relative_to(service["ReadWritePaths"])


# --- Container -----------------------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    pairs = []
    for line in joined.splitlines():
        if line.strip():
            instruction, _, rest = line.strip().partition(" ")
            pairs.append((instruction.upper(), rest.strip()))
    return pairs


def instructions(name: str) -> list[str]:
    return [rest for instruction, rest in dockerfile() if instruction == name]


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for rest in instructions("ENV"):
        env.update(dict(part.split("=", 1) for part in shlex.split(rest)))
    return env


def healthcheck_port_and_path(command: str) -> tuple[int, str]:
    match = re.search(r"http://127\.0\.0\.1:(\d+)(/\w+)", command)
    assert match, f"no health check URL in {command!r}"
    return int(match.group(1)), match.group(2)


def test_the_container_runs_a_real_command_as_a_non_root_user() -> None:
    assert is_fibrobot_command(json.loads(instructions("CMD")[-1]))
    users = instructions("USER")
    assert users
    assert users[-1] not in ("root", "0")
    assert instructions("STOPSIGNAL") == ["SIGTERM"]
    for rest in instructions("COPY"):
        for source in shlex.split(rest)[:-1]:
            assert (PROJECT_DIR / source).exists(), f"COPY {source}: not in the repository"


def test_the_container_settings_are_real_and_valid() -> None:
    env = dockerfile_env()
    check_settings(env)
    assert (
        env["DATABASE_URL"]
        .removeprefix("sqlite:///")
        .startswith(json.loads(instructions("VOLUME")[-1])[0])
    ), "the SQLite file must live on the data volume"
    assert Path(env["CONTENT_DIR"]).relative_to("/app").as_posix() == "content"


def serve_and_run_healthcheck(argv: list[str], port: int) -> subprocess.CompletedProcess[str]:
    """Run the recipe's health check against a metrics server on ``port``'s stand-in."""
    server = MetricsServer(wsgi_app(Metrics(), lambda: True), "127.0.0.1", 0).start()
    try:
        command = [arg.replace(f":{port}/", f":{server.port}/") for arg in argv]
        command[0] = sys.executable if command[0] == "python" else command[0]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
    finally:
        server.stop()


def test_the_container_healthcheck_reaches_healthz_on_the_metrics_port() -> None:
    health = instructions("HEALTHCHECK")[-1]
    argv = json.loads(health.split("CMD", 1)[1])
    port, path = healthcheck_port_and_path(argv[-1])
    assert (port, path) == (int(dockerfile_env()["METRICS_PORT"]), "/healthz")
    assert int(instructions("EXPOSE")[-1]) == port
    assert serve_and_run_healthcheck(argv, port).returncode == 0


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text()))


def expand(value: str) -> str:
    """Compose's ${VAR:-default} with the default."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


def test_compose_runs_the_bot_with_postgresql_and_real_settings() -> None:
    services = compose()["services"]
    bot, database = services["bot"], services["db"]
    env = {k: expand(str(v)) for k, v in bot["environment"].items()}
    check_settings(env)
    url = env["DATABASE_URL"]
    assert url.startswith("postgresql://")
    db_env = {k: expand(str(v)) for k, v in database["environment"].items()}
    assert url == (
        f"postgresql://{db_env['POSTGRES_USER']}:{db_env['POSTGRES_PASSWORD']}@db:5432/"
        f"{db_env['POSTGRES_DB']}"
    )
    assert database["image"].startswith("postgres:")
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (DEPLOY / bot["build"]["context"] / bot["build"]["dockerfile"]).exists()
    assert "bot-data:/data" in bot["volumes"]


def test_compose_healthcheck_reaches_healthz() -> None:
    bot = compose()["services"]["bot"]
    argv = bot["healthcheck"]["test"][1:]
    port, path = healthcheck_port_and_path(argv[-1])
    assert (port, path) == (int(bot["environment"]["METRICS_PORT"]), "/healthz")
    assert serve_and_run_healthcheck(argv, port).returncode == 0


def test_compose_comment_commands_exist() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    for command in re.findall(r"run --rm bot (fibrobot[\w ]*)", text):
        assert is_fibrobot_command(command.split())
