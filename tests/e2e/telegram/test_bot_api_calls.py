"""The bot's Bot API calls over aiohttp, against the emulator: files whole, failures told apart for the retries."""

from __future__ import annotations

import pytest
from telegram.error import NetworkError, TimedOut

from bot.telegram.aiohttp_request import AiohttpRequest
from bot.telegram.assistant_bot import assistant_bot
from bot.telegram.retrying_request import safe_to_repeat
from botapi.runner import RunningEmulator
from tests.e2e.chat_page import free_port


async def test_a_document_the_bot_sends_arrives_whole_with_its_name_and_caption(emulator: RunningEmulator) -> None:
    await emulator.client.add_user(7_001)
    content = "Pièce;État\nStatuts;reçu\n".encode() + bytes(range(256))
    async with assistant_bot(emulator.token, emulator.base_url, rate_limit=False) as bot:
        sent = await bot.send_document(7_001, document=content, filename="dossier.csv", caption="Votre dossier")

    assert sent.document is not None and sent.document.file_name == "dossier.csv"
    assert sent.caption == "Votre dossier"
    assert await emulator.client.download(sent.document.file_id) == content


async def test_a_bot_api_that_refuses_connections_is_a_call_never_sent() -> None:
    request = AiohttpRequest(connection_pool_size=1, connect_timeout=1.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as failure:
            await request.post(f"http://127.0.0.1:{free_port()}/botTOKEN/sendMessage",
                               read_timeout=1.0, connect_timeout=1.0, pool_timeout=1.0)
    finally:
        await request.shutdown()

    # RetryingRequest tries such a call again, a message too: nothing can have reached a server.
    assert safe_to_repeat(failure.value, "sendmessage")


async def test_an_answer_that_never_comes_is_a_call_that_may_have_been_done(emulator: RunningEmulator) -> None:
    await emulator.client.add_user(7_002)
    await emulator.client.hold("sendMessage", count=1)
    async with assistant_bot(emulator.token, emulator.base_url, rate_limit=False, read_timeout=0.5) as bot:
        with pytest.raises(TimedOut) as failure:
            await bot.send_message(7_002, "Bonjour")
        await emulator.client.clear_faults()

    # A message is not sent again by the request (the inbox applies the update again later),
    # an edit or a press's answer is: doing them twice changes nothing.
    assert not safe_to_repeat(failure.value, "sendmessage")
    assert safe_to_repeat(failure.value, "editmessagetext")
