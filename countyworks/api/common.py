"""What every router of the API shares: bounded ids, years, region codes and texts, the error
body, the page envelope and the error responses a read or a write may answer.

Input schemas carry the same limits as the model fields, so most bad input is refused with ninja's
422 before a service runs; services still validate everything (they are the one set of rules).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema

# Primary keys are 64-bit; bounding them keeps absurd ids a 422 instead of a database overflow.
Id = Annotated[int, Field(ge=1, le=2**62)]
Year = Annotated[int, Field(ge=1900, le=2200)]
RegionCode = Annotated[str, Field(pattern=r"^[0-9]{2,12}$")]
Text = Annotated[str, Field(max_length=20000, pattern=r"^[^\x00]*$")]


def choices(enum: Any) -> Any:
    return Literal[tuple(enum.values)]  # type: ignore[misc]


Percent = Annotated[Decimal, Field(max_digits=5, decimal_places=2, ge=0, le=100)]
Short = Annotated[str, Field(max_length=300, pattern=r"^[^\x00]*$")]


class ErrorOut(Schema):
    """Every 4xx body. `detail` is a message, or ninja's list of {loc, msg} for malformed requests."""

    detail: str | list[dict[str, Any]]
    field: str | None = None


class PageOut(Schema):
    count: int
    limit: int
    offset: int


READ_ERRORS = {frozenset({400, 401, 403, 404, 422}): ErrorOut}
WRITE_ERRORS = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}
