"""Issue 14, point 4 (text part): a text too long to be one document is refused with its limit, and a
long document's review page shows one part of the text at a time with that part's proposals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from countyworks.core.services import ServiceError
from countyworks.reading import services, views
from countyworks.reading.highlight import text_pages
from countyworks.reading.models import DraftRecord
from countyworks.sources.models import Document


def test_a_text_over_the_limit_is_refused_and_nothing_is_stored(cast):
    with pytest.raises(ServiceError) as caught:
        services.read_document(
            cast.supervisor, text="全县" * (services.MAX_TEXT_CHARS // 2 + 1), region=cast.county, year=2023
        )
    assert caught.value.field == "text" and f"{services.MAX_TEXT_CHARS}" in caught.value.message
    assert not Document.objects.exists()


def test_pages_end_at_a_line_break_and_cover_the_text_once():
    text = "".join(f"第{n}段，全县地区生产总值增长{n}%。\n" for n in range(2000))
    pages = text_pages(text, 1000)
    assert pages[0][0] == 0 and pages[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pages, pages[1:], strict=False))  # no gap, no overlap
    assert all(text[end - 1] == "\n" for _start, end in pages[:-1])
    assert all(end - start <= 1000 for start, end in pages)
    assert text_pages("", 1000) == [(0, 0)] and text_pages("短", 1000) == [(0, 1)]
    assert text_pages("无换行" * 1000, 1000)[0] == (0, 1000)  # no line break: cut at the size


def test_the_review_page_shows_one_part_and_its_proposals(cast, client, monkeypatch):
    monkeypatch.setattr(views, "REVIEW_PAGE_CHARS", 400)
    text = "".join(f"第{n}项：全县粮食产量增长{n}.5%。\n" for n in range(60))
    document = services.read_document(cast.supervisor, text=text, region=cast.county, year=2023)
    drafts = list(DraftRecord.objects.filter(document=document).order_by("start"))
    assert len(drafts) >= 50
    client.force_login(cast.supervisor)
    url = reverse("reading:review", args=[document.pk])
    first, second = client.get(url), client.get(url + "?page=2")
    assert "第1项" in first.text and "第1项" not in second.text
    pages = text_pages(text, 400)
    on_first = [d for d in drafts if d.start < pages[0][1]]
    assert f'id="draft-{on_first[0].pk}"' in first.text
    assert f'id="draft-{on_first[0].pk}"' not in second.text
    assert f'id="span-{pages[1][0]}"' not in first.text
    assert "page=2" in first.text  # the pager
    # Every proposal appears on exactly one page.
    shown = set()
    for number in range(1, len(pages) + 1):
        html = client.get(url + f"?page={number}").text
        shown |= {d.pk for d in drafts if f'id="draft-{d.pk}"' in html}
    assert shown == {d.pk for d in drafts}
