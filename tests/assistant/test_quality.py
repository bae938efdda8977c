"""The quality bar on the public dev set and on our own held-out messages, scored by the
evaluation's own scorer (../shared/tools/score_eval.py), through the real command."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_eval.py"
DEV = SHARED / "reference" / "dev.jsonl"
HELDOUT = Path(__file__).resolve().parent / "heldout.jsonl"

MIN_INTENT, MIN_F1, MIN_PER_LANGUAGE = 0.92, 0.90, 0.85


def score(cases: Path, tmp_path, monkeypatch) -> tuple[dict, dict]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(cases.read_text(encoding="utf-8")))
    out = io.StringIO()
    call_command("assistant_eval", stdout=out)
    results = tmp_path / f"{cases.stem}-results.jsonl"
    results.write_text(out.getvalue(), encoding="utf-8")
    report = subprocess.run(
        [sys.executable, str(SCORER), str(cases), str(results)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    overall = dict(re.findall(r"(\w+)=([\d.]+)", report.splitlines()[-1]))
    per_language = {}
    for line in report.splitlines()[1:-1]:
        language, _cases, intent, f1, _esc, _langid = line.split()
        per_language[language] = (float(intent), float(f1))
    return {key: float(value) for key, value in overall.items()}, per_language


def assert_bar(overall: dict, per_language: dict) -> None:
    assert overall["errors"] == 0
    assert overall["intent"] >= MIN_INTENT, overall
    assert overall["entities_f1"] >= MIN_F1, overall
    for language, (intent, f1) in per_language.items():
        assert intent >= MIN_PER_LANGUAGE, (language, intent)
        assert f1 >= MIN_PER_LANGUAGE, (language, f1)


@pytest.mark.django_db
@pytest.mark.skipif(
    not (SCORER.exists() and DEV.exists()), reason="shared evaluation files not present"
)
def test_dev_set_meets_the_bar(demo, tmp_path, monkeypatch):
    overall, per_language = score(DEV, tmp_path, monkeypatch)
    assert set(per_language) == {"en", "zh", "es", "pt", "ru", "ar", "fr", "de"}
    assert_bar(overall, per_language)


@pytest.mark.django_db
@pytest.mark.skipif(not SCORER.exists(), reason="shared scorer not present")
def test_our_held_out_messages_meet_the_bar(demo, tmp_path, monkeypatch):
    overall, per_language = score(HELDOUT, tmp_path, monkeypatch)
    assert_bar(overall, per_language)


def test_held_out_messages_are_not_copies_of_dev_cases():
    if not DEV.exists():
        pytest.skip("dev set not present")
    dev = {
        json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line
    }
    ours = [
        json.loads(line)["text"]
        for line in HELDOUT.read_text(encoding="utf-8").splitlines()
        if line
    ]
    assert not dev & set(ours)
