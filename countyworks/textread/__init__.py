"""Reading Chinese county work reports: numbers, quantity mentions, periods and document structure.

Plain Python with no Django import, so it is fast to test and usable from scripts and benchmarks.
"""

from .mentions import Mention, extract_mentions
from .numerals import parse_chinese, parse_number, to_chinese
from .structure import Section, Sentence, Structure, goal_tree, parse_structure

__all__ = [
    "Mention",
    "Section",
    "Sentence",
    "Structure",
    "extract_mentions",
    "goal_tree",
    "parse_chinese",
    "parse_number",
    "parse_structure",
    "to_chinese",
]
