"""The Chinese words the documents print for item statuses, lights, kinds, project stages and honour
levels, whatever the reader's language.

They are the choices' own labels, read from the catalogue in Chinese: a document says 暂缓 where the
ledger says 暂缓, because both ask the same label (`core/tests/test_vocabulary.py` holds them equal).
"""

from __future__ import annotations

from functools import cache

from django.db.models import Choices
from django.utils import translation

from countyworks.honours.models import HonourLevel
from countyworks.plans.models import ItemKind, ItemStatus, Light, ProjectStage

DONE_STATUSES = (ItemStatus.COMPLETED,)


@cache
def chinese_labels(choices: type[Choices]) -> dict[str, str]:
    """Each value of `choices` with its label in Chinese, in the choices' order."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices}


def status_words() -> dict[str, str]:
    return chinese_labels(ItemStatus)


def light_words() -> dict[str, str]:
    return chinese_labels(Light)


def kind_words() -> dict[str, str]:
    return chinese_labels(ItemKind)


def stage_words() -> dict[str, str]:
    return chinese_labels(ProjectStage)


def level_words() -> dict[str, str]:
    return chinese_labels(HonourLevel)
