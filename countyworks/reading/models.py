"""Draft records the reader proposes from a document, waiting for a person's decision.

A draft is never a fact: nothing reaches the indicators, honours or plans tables until a
supervisor accepts (or edits and accepts) it. The created record is kept by content type and id,
so the review page can link to it and a draft is never accepted twice.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from countyworks.core.models import TimeStamped
from countyworks.honours.models import HonourLevel
from countyworks.indicators.formatting import figure
from countyworks.indicators.models import Observation, Qualifier, Target, ValueKind
from countyworks.reading.proposals import name_problem


class ProposalKind(models.TextChoices):
    OBSERVATION = "observation", _("indicator observation")
    # A goal for a period (预期目标, 力争…): accepted through indicators.services.create_target.
    TARGET = "target", _("indicator target")
    ITEM_COUNT = "item_count", _("item count")
    HONOUR = "honour", _("honour")
    KEY_PROJECT = "key_project", _("key project")
    PLAN_NODE = "plan_node", _("plan node")
    PLAN_TASK = "plan_task", _("plan task")
    # Thresholds (亿元以上项目) and ranks are shown on the review page but are not figures to record.
    NOT_A_FIGURE = "not_a_figure", _("not a figure to record")
    # A ledger item's progress read from a progress text: accepted through
    # supervision.services.enter_report_for_unit (督查室代填).
    PROGRESS_REPORT = "progress_report", _("progress report for an item")
    # A unit named as behind in a 督查通报: accepted through supervision.services.issue_notice.
    NOTICE = "notice", _("supervision notice")


SWITCHABLE_TO_TARGET = frozenset({ProposalKind.OBSERVATION, ProposalKind.ITEM_COUNT})

# proposals.REASON_* codes in words.
TARGET_REASONS = {
    "future_year": _("a year after the document's"),
    "plan_section": _("in the plan part of the document"),
    "plan_document": _("in a plan document"),
    "cue": _("a word of aim"),
}


FIGURE_DRAFT_KINDS = frozenset({ProposalKind.OBSERVATION, ProposalKind.ITEM_COUNT, ProposalKind.TARGET})

# proposals.name_problem codes in words.
NAME_PROBLEMS = {
    "share_without_owner": _("a share of a plan, but of what? name the measure"),
    "place_or_body": _("names a place or a body, not what is measured"),
    "population": _("names who is counted; say what of them is measured"),
}


class DraftState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    EDITED = "edited", _("edited and accepted")
    REJECTED = "rejected", _("rejected")


class DraftRecord(TimeStamped):
    document = models.ForeignKey(
        "sources.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="drafts"
    )
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    text = models.CharField(_("text as written"), max_length=300)
    section = models.CharField(_("section"), max_length=200, blank=True)
    kind = models.CharField(_("proposal"), max_length=16, choices=ProposalKind.choices)
    # What the reader proposes (indicator name, value, unit, qualifier, period, base period, value kind,
    # or the title and level of an honour, or the title of a project); edited in place before acceptance.
    fields = models.JSONField(_("proposed fields"), default=dict)
    # The reader's own reading of the mention (kind, subject, ...), kept for display and audits.
    mention = models.JSONField(_("reader's mention"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DraftState.choices, default=DraftState.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_type = models.ForeignKey(
        ContentType,
        verbose_name=_("created record type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_id = models.PositiveBigIntegerField(_("created record id"), null=True, blank=True)
    created_record = GenericForeignKey("created_type", "created_id")

    class Meta:
        verbose_name = _("draft record")
        verbose_name_plural = _("draft records")
        ordering = ["document_id", "start", "id"]
        indexes = [models.Index(fields=["document", "state"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="draft_span_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.document} [{self.start}:{self.end}] {self.text}"

    @property
    def is_open(self) -> bool:
        return self.state == DraftState.PROPOSED

    @property
    def can_be_recorded(self) -> bool:
        return self.kind != ProposalKind.NOT_A_FIGURE

    @property
    def can_become_target(self) -> bool:
        """An observation may be switched to a target (a stated multiple has no target form)."""
        return self.kind in SWITCHABLE_TO_TARGET and self.fields.get("value_kind") != ValueKind.MULTIPLE

    @property
    def can_become_observation(self) -> bool:
        return self.kind == ProposalKind.TARGET

    @property
    def target_reason_display(self) -> str:
        """Why the reader proposed a target, in words (empty when the person switched it)."""
        reason = TARGET_REASONS.get(self.mention.get("target_reason") or "")
        if reason is None:
            return ""
        cue = self.mention.get("target_cue") or ""
        return f"{reason}（{cue}）" if cue else str(reason)

    # Proposed codes in their readable (translated) names, for the review screen.
    @property
    def qualifier_display(self) -> str:
        return str(
            dict(Qualifier.choices).get(self.fields.get("qualifier"), self.fields.get("qualifier") or "")
        )

    @property
    def value_kind_display(self) -> str:
        return str(
            dict(ValueKind.choices).get(self.fields.get("value_kind"), self.fields.get("value_kind") or "")
        )

    @property
    def recorded_display(self) -> str:
        """The record the draft became; a figure in its own unit's scale (2.8亿元, 18个), not 280000000.000000元."""
        record = self.created_record
        if record is None:
            return ""
        if isinstance(record, (Observation, Target)):
            kind = getattr(record, "value_kind", ValueKind.LEVEL)
            shown = figure(record.value, record.unit, record.qualifier, kind, self.text)
            return f"{record.indicator.name} {record.year}: {shown}"
        return str(record)

    @property
    def name_warning(self) -> str:
        """Why the proposed indicator name may not be the measured thing (empty when it looks like one)."""
        if self.kind not in FIGURE_DRAFT_KINDS:
            return ""
        reason = name_problem(str(self.fields.get("indicator") or ""), str(self.mention.get("kind") or ""))
        return str(NAME_PROBLEMS.get(reason, ""))

    @property
    def progress_display(self) -> str:
        """The proposed progress as a share and, when stated, done of planned: 78%（31/40座）."""
        f = self.fields
        share = f"{f.get('progress')}%"
        if f.get("planned") and f.get("done") != "":
            return f"{share}（{f.get('done')}/{f.get('planned')}{f.get('count_unit') or ''}）"
        return share

    @property
    def level_display(self) -> str:
        return str(dict(HonourLevel.choices).get(self.fields.get("level"), self.fields.get("level") or ""))

    @property
    def figure_display(self) -> str:
        """The proposed value as a reader writes it (约120.5亿元); the raw value if it is not a number."""
        # A target is always a level (a growth target is the level of its rate, in %).
        value_kind = "level" if self.kind == ProposalKind.TARGET else self.fields.get("value_kind")
        try:
            return figure(
                Decimal(str(self.fields.get("value"))),
                self.fields.get("unit") or "",
                self.fields.get("qualifier") or "exact",
                value_kind or "level",
                self.text,
            )
        except (InvalidOperation, ValueError, TypeError):
            return f"{self.fields.get('value')} {self.fields.get('unit') or ''}"
