"""The demo's data module on its own: spans, sections, wording, and the account rule."""

from __future__ import annotations

import pytest

from countyworks.demo import facts
from countyworks.demo.rules import demo_accounts_allowed
from countyworks.demo.services import facts_by_section, load_demo, read_seed


def test_it_gives_every_citation_a_span_the_size_of_its_quote():
    for label, cite in facts.all_citations():
        assert cite.end - cite.start == len(cite.quote), label
        assert 0 <= cite.start < cite.end <= 4258, label
        # Quotes are a figure or a name, never a sentence.
        assert len(cite.quote) <= 25, label


def test_it_refuses_a_quote_that_does_not_fit_its_span():
    with pytest.raises(ValueError, match="does not fit"):
        facts.Cite(10, 12, "近25亿元")


def test_it_places_offsets_under_the_right_heading():
    assert facts.section_of(0) == "题图与图片说明"
    assert facts.section_of(780) == "凝心铸魂、聚力发展，县域经济积聚新动能"
    assert facts.section_of(1567) == "精准施策、奋楫争先，乡村振兴绘就新图景"
    assert facts.section_of(1951) == "坚守初心、倾情为民，民生事业交出新答卷"
    assert facts.section_of(3122) == "展未来，山河日新，再攀高峰"
    assert facts.section_of(4092) == "署名与图片说明"


def test_it_allows_demo_accounts_only_in_debug_or_when_asked():
    assert demo_accounts_allowed(True, None)
    assert demo_accounts_allowed(False, "1")
    assert not demo_accounts_allowed(False, None)
    assert not demo_accounts_allowed(False, "0")
    assert not demo_accounts_allowed(False, "yes")


def _our_wording() -> list[tuple[str, str]]:
    """Every free-text field of the data module: these must be in our own words."""
    texts = [(o.name, o.description) for o in facts.ORGANISATIONS]
    texts += [(p.title, p.description) for p in facts.PLANS]
    texts += [(n.title, n.description) for n in facts.NODES]
    texts += [(i.title, f"{i.description} {i.problem} {i.measures}") for i in facts.ITEMS]
    texts += [(i.name, i.description) for i in facts.INDICATORS]
    texts += [(o.indicator, o.note) for o in facts.OBSERVATIONS]
    texts += [(h.title, h.note) for h in facts.HONOURS]
    texts += [(b.role, b.note) for b in facts.BYLINE]
    return texts


@pytest.mark.skipif(read_seed() is None, reason="the seed article (shared/seed) is not on this machine")
def test_it_keeps_the_seeds_sentences_out_of_our_descriptions():
    seed = read_seed()
    window = 12  # longer than the names and figures descriptions mention, shorter than a clause
    seed_windows = {seed[i : i + window] for i in range(len(seed) - window + 1)}
    # Names and figures may be repeated (a project's or a slogan's name): blank them out first.
    names = sorted({c.quote for _, c in facts.all_citations()} | {i.title for i in facts.ITEMS}, key=len)
    wording = []
    for label, text in _our_wording():
        for name in reversed(names):
            text = text.replace(name, "□")
        wording.append((label, text))
    copied = [
        (label, text[i : i + window])
        for label, text in wording
        for i in range(len(text) - window + 1)
        if text[i : i + window] in seed_windows
    ]
    assert copied == []


@pytest.mark.skipif(read_seed() is None, reason="the seed article (shared/seed) is not on this machine")
def test_it_agrees_with_the_seed_at_every_offset():
    seed = read_seed()
    wrong = [
        (label, c.quote, seed[c.start : c.end])
        for label, c in facts.all_citations()
        if seed[c.start : c.end] != c.quote
    ]
    assert wrong == []
    for start, title in facts.SECTIONS[1:-1]:
        assert seed[start:].lstrip("# ").startswith(title)


def test_it_lists_facts_per_section(db, monkeypatch, capsys):
    """Prints the coverage so a reviewer can read it: `pytest -s -k lists_facts`."""
    monkeypatch.setenv("COUNTYWORKS_DEMO_ACCOUNTS", "1")
    load_demo()
    listing = facts_by_section()
    with capsys.disabled():
        for section, lines in listing.items():
            print(f"\n### {section} ({len(lines)})")
            for line in lines:
                print(f"  - {line}")
    assert set(listing) == {
        "题图与图片说明",
        "凝心铸魂、聚力发展，县域经济积聚新动能",
        "精准施策、奋楫争先，乡村振兴绘就新图景",
        "坚守初心、倾情为民，民生事业交出新答卷",
        "干在实处 走在前列 勇立潮头",
        "展未来，山河日新，再攀高峰",
        "署名与图片说明",
    }
    # Each of the article's three review sections and its outlook carries many facts.
    for section in (
        "凝心铸魂、聚力发展，县域经济积聚新动能",
        "精准施策、奋楫争先，乡村振兴绘就新图景",
        "坚守初心、倾情为民，民生事业交出新答卷",
        "展未来，山河日新，再攀高峰",
    ):
        assert len(listing[section]) >= 15, section
    assert sum(len(lines) for lines in listing.values()) == len(facts.all_citations())
