from __future__ import annotations

import io
import json

import pytest

from countyworks.textread.cli import doc_id_for, main, run_extract

TEXT = "2022年，全县完成投资12.5亿元，同比增长8%。"


def test_it_writes_json_lines_with_the_file_name_as_doc_id(tmp_path):
    path = tmp_path / "some-county-2022.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = io.StringIO()
    assert run_extract([str(path)], "jsonl", out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["text"] for r in rows] == ["12.5亿元", "8%"]
    assert rows[0] == {
        "doc": "some-county-2022",
        "start": 12,
        "end": 18,
        "text": "12.5亿元",
        "kind": "amount",
        "value": 1250000000,
        "unit": "元",
        "qualifier": "exact",
        "subject": "投资",
        "period": "2022",
        "base_period": None,
    }
    assert rows[1]["base_period"] == "2021"


def test_it_reads_standard_input_and_prints_a_table(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(TEXT))
    out = io.StringIO()
    assert run_extract(["-"], "table", out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t")[:4] == ["start", "end", "text", "kind"]
    assert lines[1].split("\t")[2:6] == ["12.5亿元", "amount", "1250000000", "元"]
    assert doc_id_for("-") == "stdin"


def test_it_reports_a_missing_file_and_goes_on(tmp_path, capsys):
    good = tmp_path / "a.txt"
    good.write_text(TEXT, encoding="utf-8")
    out = io.StringIO()
    assert run_extract([str(tmp_path / "missing.txt"), str(good)], "jsonl", out) == 1
    assert len(out.getvalue().splitlines()) == 2
    assert "missing.txt" in capsys.readouterr().err


def test_it_refuses_an_unknown_format():
    assert run_extract([], "xml", io.StringIO()) == 2


def test_it_parses_its_own_arguments(tmp_path, capsys):
    path = tmp_path / "b.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main([str(path), "--format", "table"]) == 0
    assert "12.5亿元" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([str(path), "--format", "xml"])


def test_the_management_command_prints_the_same(tmp_path):
    pytest.importorskip("django", reason="the extract command is the Django wrapper of this CLI")
    from django.core.management import call_command

    from countyworks.reading.management.commands.extract import Command

    path = tmp_path / "c.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command(Command(), str(path), format="jsonl", stdout=out)
    expected = io.StringIO()
    run_extract([str(path)], "jsonl", expected)
    assert out.getvalue() == expected.getvalue()


def test_it_resolves_relative_years_with_the_year_option_and_leaves_them_null_without(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_text("今年全县完成投资3-5亿元，同比增长8%。", encoding="utf-8")
    assert main([str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["period"], r["base_period"]) for r in rows] == [(None, None), (None, None)]
    assert main([str(path), "--year", "2023"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["period"], r["base_period"]) for r in rows] == [("2023", None), ("2023", "2022")]
    # The range keeps the format: its low end in value, no extra field.
    assert rows[0]["text"] == "3-5亿元"
    assert rows[0]["value"] == 300000000
    assert "value_high" not in rows[0]
    out = io.StringIO()
    assert run_extract([str(path)], "jsonl", out, doc_year=2024) == 0
    assert json.loads(out.getvalue().splitlines()[0])["period"] == "2024"
