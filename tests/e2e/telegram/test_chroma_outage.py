"""The bot on a `chroma run` server that goes down and comes back: questions wait, the check goes on."""

from __future__ import annotations

from pathlib import Path

from chroma_server import ChromaServer

from botapi.runner import RunningEmulator
from core.settings import Settings
from core.wiring import build_knowledge_base

from .conftest import User, buttons, running_bot, runtime_of, text_of


async def test_while_the_chroma_server_is_down_questions_say_try_again_and_the_check_still_works(
    emulator: RunningEmulator, data_dir: Path, chroma_server: ChromaServer
) -> None:
    async with running_bot(emulator, data_dir, chroma_url=chroma_server.url):
        user = User(emulator.client, 930)
        await user.consent()
        [before] = await user.say("Quelle est la date limite de dépôt ?")
        chroma_server.stop()

        [during] = await user.say("Qui peut candidater ?")
        [check] = await user.say("/eligibilite")
        chroma_server.start()
        [after] = await user.say("Quelle est la date limite de dépôt ?")

    assert "2025" in text_of(before)
    assert "réessayez dans quelques minutes" in text_of(during)
    assert "Désolé" not in text_of(during)
    assert buttons(check), "the check's first question, with its buttons"
    assert text_of(after) == text_of(before)


async def test_a_document_indexed_from_another_host_reaches_the_running_bot_on_its_next_message(
    emulator: RunningEmulator, tmp_path: Path, chroma_server: ChromaServer
) -> None:
    other_host = Settings(data_dir=tmp_path / "other-host", embedding_backend="hashing", chroma_url=chroma_server.url)
    document = tmp_path / "tatwir.txt"
    document.write_text("Le programme Tatwir Clusters Vert finance la transition écologique des clusters "
                        "marocains ; son appel ouvre le 3 mars 2026.", encoding="utf-8")
    async with running_bot(emulator, tmp_path / "bot-host", chroma_url=chroma_server.url) as application:
        knowledge = runtime_of(application).knowledge
        user = User(emulator.client, 931)
        await user.say("/aide")
        sources_before = {passage.source for passage in knowledge.retriever.passages}
        build_knowledge_base(other_host).ingest([document], edition="2025")
        await user.say("Quel est le programme Tatwir Clusters Vert ?")
        sources_after = {passage.source for passage in knowledge.retriever.passages}

    assert str(document.resolve()) not in sources_before
    assert str(document.resolve()) in sources_after, "the bot's host has no marker file: the server told it"
