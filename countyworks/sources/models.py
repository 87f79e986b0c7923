"""Documents that facts come from, and citations: the span of a document behind a fact."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from countyworks.core.models import TimeStamped


class DocumentKind(models.TextChoices):
    WORK_REPORT = "work_report", _("government work report")
    ARTICLE = "article", _("news article")
    PLAN = "plan", _("plan")
    STATISTICAL_BULLETIN = "bulletin", _("statistical bulletin")
    TASK_TABLE = "task_table", _("task table")
    UPLOAD = "upload", _("upload")
    # issue 13: a leader's instruction (批示) that became a work item; internal like an upload.
    INSTRUCTION = "instruction", _("leader's instruction")
    OTHER = "other", _("other")


class Document(TimeStamped):
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.ARTICLE
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    year = models.PositiveSmallIntegerField(_("year covered"), null=True, blank=True)
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    url = models.URLField(_("address"), blank=True)
    # Optional: the demo cites the seed by offsets without holding its text.
    text = models.TextField(_("full text"), blank=True)
    text_sha256 = models.CharField(_("text fingerprint"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="citations"
    )
    start = models.PositiveIntegerField(_("start offset"), null=True, blank=True)
    end = models.PositiveIntegerField(_("end offset"), null=True, blank=True)
    section = models.CharField(_("section"), max_length=200, blank=True)
    # The cited characters themselves (a figure or a name), never a whole sentence of someone else's text.
    quote = models.CharField(_("quoted span"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["document_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="citation_span_ordered",
            )
        ]

    def __str__(self) -> str:
        where = f"[{self.start}:{self.end}]" if self.start is not None else self.section
        return f"{self.document} {where}"
