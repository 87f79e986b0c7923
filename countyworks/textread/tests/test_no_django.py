"""The reader is plain Python: importing and running it must not need Django."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]

BLOCK_DJANGO = """
import sys

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError("django is blocked for this test")
        return None

sys.meta_path.insert(0, Blocker())
from countyworks.textread import extract_mentions, parse_structure
assert extract_mentions("完成投资3亿元。")[0].value == 3e8
parse_structure("一、标题\\n正文。")
assert not any(m == "django" or m.startswith("django.") for m in sys.modules)
"""


def test_it_imports_and_reads_with_django_blocked():
    root = PACKAGE.parents[1]
    res = subprocess.run(
        [sys.executable, "-c", BLOCK_DJANGO],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 0, res.stderr


def test_no_module_of_the_reader_imports_django():
    pattern = re.compile(r"^\s*(?:import|from)\s+django\b", re.M)
    for path in PACKAGE.glob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path
