"""How the bot runs: webhook mode with its secret token, and `cluster-assistant run` as a process."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.cli_bot import webhook_options
from bot.telegram.application import build_application
from bot.telegram.webhook import serving_webhook
from botapi.runner import RunningEmulator
from core.runtime import build_runtime
from intake.delivery_models import InboundUpdate
from tests.e2e.chat_page import free_port

from .conftest import User, bot_settings, count, text_of
from .test_unusable_updates import UNPARSABLE

SECRET = "webhook_secret-for-tests"
REPO = Path(__file__).resolve().parents[3]


async def test_webhook_mode_answers_and_refuses_calls_without_the_secret(
    emulator: RunningEmulator, data_dir: Path
) -> None:
    port = free_port()
    settings = bot_settings(emulator, data_dir, webhook_secret=SECRET)
    url = f"http://127.0.0.1:{port}/telegram/hook"
    options = webhook_options(settings, url, "127.0.0.1", port, None)
    application = build_application(settings, build_runtime(settings))
    forged_update = {"update_id": 987654, "message": {"message_id": 1, "date": 0, "text": "/aide",
                                                      "chat": {"id": 951, "type": "private"}}}
    async with serving_webhook(application, **options):
        [reply] = await User(emulator.client, 950).say("/start")
        async with httpx.AsyncClient(trust_env=False) as http:
            wrong = await http.post(url, json=forged_update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
            missing = await http.post(url, json=forged_update)

    assert options["url_path"] == "telegram/hook"
    assert "Bonjour" in text_of(reply)
    assert (await emulator.client.bot_info())["webhook"]["url"] == url
    assert wrong.status_code == 403 and missing.status_code == 403
    assert count(application, InboundUpdate, InboundUpdate.update_id == 987654) == 0  # type: ignore[arg-type]


async def test_in_webhook_mode_an_update_the_library_cannot_parse_is_skipped_once_without_its_text(
    emulator: RunningEmulator, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    port = free_port()
    settings = bot_settings(emulator, data_dir, webhook_secret=SECRET)
    options = webhook_options(settings, f"http://127.0.0.1:{port}/hook", "127.0.0.1", port, None)
    application = build_application(settings, build_runtime(settings))
    async with serving_webhook(application, **options):
        bad = await emulator.client.inject_update(UNPARSABLE)
        [reply] = await User(emulator.client, 952).say("/start")

    assert "Bonjour" in text_of(reply)
    assert count(application, InboundUpdate, InboundUpdate.state == "unparsable") == 1  # type: ignore[arg-type]
    about_it = [record for record in caplog.records if str(bad["update_id"]) in record.getMessage()]
    assert [record.levelname for record in about_it] == ["WARNING"]
    assert not [line for line in caplog.text.splitlines() if "Karima" in line or "4471" in line]


async def test_the_run_command_polls_and_never_logs_the_token(emulator: RunningEmulator, data_dir: Path) -> None:
    env = {**os.environ, "CLUSTER_ASSISTANT_TELEGRAM_TOKEN": emulator.token,
           "CLUSTER_ASSISTANT_TELEGRAM_API_URL": emulator.base_url, "CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "hashing",
           "CLUSTER_ASSISTANT_LOG_LEVEL": "DEBUG"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--data-dir", str(data_dir), cwd=REPO, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        [reply] = await User(emulator.client, 960).say("/start")
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(process.communicate(), 30)

    assert "Bonjour" in text_of(reply)
    assert process.returncode == 0
    log = output.decode()
    assert "getUpdates" in log and emulator.token not in log


async def test_a_token_the_server_rejects_is_one_line_without_a_traceback(
        emulator: RunningEmulator, data_dir: Path) -> None:
    env = {**os.environ, "CLUSTER_ASSISTANT_TELEGRAM_TOKEN": "987654321:" + "w" * 35,
           "CLUSTER_ASSISTANT_TELEGRAM_API_URL": emulator.base_url, "CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "hashing"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--data-dir", str(data_dir), cwd=REPO, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    log = output.decode()
    assert process.returncode == 1
    assert "rejected CLUSTER_ASSISTANT_TELEGRAM_TOKEN" in log and "Traceback" not in log


@pytest.mark.parametrize(("token", "message"), [
    ("", "CLUSTER_ASSISTANT_TELEGRAM_TOKEN is not set"),
    ("12345:short", "CLUSTER_ASSISTANT_TELEGRAM_TOKEN is malformed"),
    ("not-a-token-at-all-but-quite-long-enough-1234567890", "is malformed"),
])
def test_run_refuses_a_missing_or_malformed_token_in_one_line(tmp_path: Path, token: str, message: str) -> None:
    result = CliRunner().invoke(app, ["run", "--data-dir", str(tmp_path)],
                                env={"CLUSTER_ASSISTANT_TELEGRAM_TOKEN": token})

    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert not token or token not in result.stderr


def test_webhook_mode_requires_the_secret(tmp_path: Path) -> None:
    env = {"CLUSTER_ASSISTANT_TELEGRAM_TOKEN": "123456789:emulator-test-token-not-a-secret",
           "CLUSTER_ASSISTANT_WEBHOOK_SECRET": ""}
    result = CliRunner().invoke(app, ["run", "--data-dir", str(tmp_path), "--webhook-url", "https://example.org/h"],
                                env=env)

    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "CLUSTER_ASSISTANT_WEBHOOK_SECRET" in result.stderr
