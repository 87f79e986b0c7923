"""The development seed and its gold mentions (../shared, beside the repository) scored as `make eval` does."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from countyworks.textread import extract_mentions, parse_structure

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
SEED = SHARED / "seed" / "huguan-2023-review.txt"
GOLD = SHARED / "eval" / "dev"
SCORER = SHARED / "eval" / "score_quantities.py"

pytestmark = pytest.mark.skipif(
    not (SEED.is_file() and SCORER.is_file()),
    reason="the shared development seed is not beside this checkout (../shared/seed); nothing to score",
)


def _scorer():
    spec = importlib.util.spec_from_file_location("score_quantities", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_meets_the_accuracy_goals_on_the_development_seed():
    scorer = _scorer()
    text = SEED.read_text(encoding="utf-8")
    pred = {"huguan-2023-review": [m.as_dict() for m in extract_mentions(text, doc_id="huguan-2023-review")]}
    res = scorer.score(scorer.load(GOLD), pred)
    assert res["f1"] >= 0.95
    for attr in ("qualifier", "kind", "period"):
        assert res["attributes"][attr] >= 0.9, attr
    assert res["attributes"]["subject"] >= 0.8


def test_every_span_of_the_seed_points_at_its_text():
    text = SEED.read_text(encoding="utf-8")
    for m in extract_mentions(text, doc_id="seed"):
        assert text[m.start : m.end] == m.text


def test_it_reads_the_seed_structure():
    text = SEED.read_text(encoding="utf-8")
    s = parse_structure(text)
    assert len([x for x in s.sections if x.level == 3]) >= 4
    # Lines broken mid-sentence in the seed come back as whole sentences.
    assert not any(x.text.endswith("在全市") for x in s.sentences)
