"""The errors services raise, as views and the API see them."""

from django.core import exceptions as django_exceptions

from countyworks.core.services import PermissionDenied, ServiceError


def test_it_makes_a_refusal_djangos_permission_denied_so_views_answer_403():
    refusal = PermissionDenied("Only the supervision office issues notices.", field="unit")
    assert isinstance(refusal, django_exceptions.PermissionDenied)
    # Still a service error: commands and importers that report ServiceError report refusals too.
    assert isinstance(refusal, ServiceError)
    assert (refusal.message, refusal.field, str(refusal)) == (
        "Only the supervision office issues notices.",
        "unit",
        "Only the supervision office issues notices.",
    )
