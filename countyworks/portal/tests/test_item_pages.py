"""A published item's own page and the livelihood-commitments page (issue 15, the portal)."""

from __future__ import annotations

from datetime import date

from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.portal.tests.world import SECRETS


def test_the_item_page_shows_progress_photos_and_completion(client, cast, world):
    WorkItem.objects.filter(pk=world.livelihood.pk).update(
        status=ItemStatus.COMPLETED, completed_on=date(2023, 12, 1)
    )
    response = client.get(f"/portal/items/{world.livelihood.pk}/")
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"
    html = response.content.decode()
    assert world.livelihood.title in html and "新增学位360个" in html
    assert "完成于 2023-12-01" in html
    assert f'data-report="{world.approved.pk}"' in html and "主体完工" in html
    assert f"/portal/evidence/{world.public_photo.token}/" in html
    assert f"/portal/evidence/{world.private_photo.token}/" not in html
    for secret in SECRETS.values():
        assert secret not in html  # returned and waiting reports, comments, notices, instructions
    title = html.split('<meta property="og:title" content="')[1].split('"')[0]
    assert world.livelihood.title in title and cast.county.name in title


def test_the_county_page_links_each_item_to_its_page(client, cast, world):
    html = client.get("/portal/140427/").content.decode()
    assert f'href="/portal/items/{world.livelihood.pk}/"' in html
    assert f'href="/portal/items/{cast.item_a.pk}/"' in html


def test_an_unpublished_or_internal_item_has_no_page(client, cast, world):
    hidden = WorkItem.objects.create(plan=cast.plan, title="内部事项", published=False)
    assert client.get(f"/portal/items/{hidden.pk}/").status_code == 404
    assert client.get("/portal/items/999999/").status_code == 404


def test_the_livelihood_page_counts_what_was_promised_and_done(client, cast, world):
    WorkItem.objects.filter(pk=world.livelihood.pk).update(status=ItemStatus.COMPLETED)
    html = client.get(f"/portal/140427/livelihood/?year={cast.plan.year}").content.decode()
    from countyworks.portal import public

    promised = public.items().filter(plan=cast.plan, kind="livelihood").count()
    assert promised >= 1
    assert f"本页公开{promised}件，已完成1件。" in html
    assert f'href="/portal/items/{world.livelihood.pk}/"' in html
    assert "民生实事" in html.split('<meta property="og:title" content="')[1].split('"')[0]
