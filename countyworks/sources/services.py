"""Writes and checks of the sources domain: whether a citation may be attached to a record."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import ServiceError
from countyworks.sources.models import Citation


def check_citation(user: Any, citation: Citation | None, field: str = "citation") -> None:
    """A record may cite only a document its writer may read: one of their region (or below), or one
    that belongs to no region. The one rule for items, goal-tree nodes, figures, targets and honours."""
    if citation is None:
        return
    if not policy.visible_documents(user).filter(pk=citation.document_id).exists():
        raise ServiceError(_("The citation is from a document outside your region."), field=field)
