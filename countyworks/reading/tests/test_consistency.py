from django.urls import reverse

from countyworks.reading import services
from countyworks.reading.tests.helpers import draft, read
from countyworks.reading.tests.texts import NEWS_2023, REVIEW_2023


def _two_sources_disagree(cast):
    report = read(cast, REVIEW_2023, title="2023年政府工作报告")
    news = read(cast, NEWS_2023, title="民生实事兑现报道")
    services.accept_draft(cast.supervisor, draft(report, "16件"))
    # The news names the same commitments in other words; the person maps it to the same indicator.
    services.accept_draft(cast.supervisor, draft(news, "12件"), {"indicator": "民生实事"})
    return report, news


def test_it_lists_a_disagreement_with_both_citations(client, cast):
    report, news = _two_sources_disagree(cast)
    client.force_login(cast.leader)
    response = client.get(reverse("reading:consistency", args=["140427", 2023]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "民生实事" in page
    assert "2023年政府工作报告" in page and "民生实事兑现报道" in page
    for document, quote in ((report, "16件"), (news, "12件")):
        span = draft(document, quote)
        link = (
            reverse("reading:document", args=[document.pk]) + f"?start={span.start}&amp;end={span.end}#cited"
        )
        assert f'<a href="{link}">{quote}</a>' in page
    assert len(response.context["issues"]) == 1


def test_it_says_so_when_the_figures_agree(client, cast):
    report = read(cast, REVIEW_2023)
    services.accept_draft(cast.supervisor, draft(report, "16件"))
    client.force_login(cast.supervisor)
    response = client.get(reverse("reading:consistency", args=["140427", 2023]))
    assert response.context["issues"] == []


def test_it_keeps_the_consistency_list_inside_the_region(client, cast):
    _two_sources_disagree(cast)
    client.force_login(cast.outsider_supervisor)
    assert client.get(reverse("reading:consistency", args=["140427", 2023])).status_code == 403
    client.logout()
    assert client.get(reverse("reading:consistency", args=["140427", 2023])).status_code == 302
