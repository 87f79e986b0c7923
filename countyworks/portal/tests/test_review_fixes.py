"""Inputs and loads found in review: odd `year` values, and query counts of the pages."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("year", ["²⁰²³", "٢٠٢٣x", "2023²", "abc", "9" * 5000])
def test_it_ignores_a_year_that_is_not_plain_digits(client, cast, world, year):
    # "²".isdigit() is True but int("²") fails, as does int() of 5,000 digits (Python's
    # int_max_str_digits): the page must fall back to its default year, not answer 500.
    county = client.get("/portal/140427/", {"year": year})
    assert county.status_code == 200
    assert world.livelihood.title in county.content.decode()
    city = client.get("/portal/140400/", {"year": year})
    assert city.status_code == 200
    assert "140427" in city.content.decode()
