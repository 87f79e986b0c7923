"""Cut a text into plain and marked segments for the review and document pages.

Plain Python (no Django import). The template prints each segment with autoescaping and wraps the
marked ones in <mark>, so a text is never turned into HTML by string concatenation. Spans that
overlap a span already marked (a sentence around a figure) are left unmarked here; the review page
lists them beside the text anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Span:
    start: int
    end: int
    ids: list[int] = field(default_factory=list)
    css: str = ""


@dataclass
class Segment:
    text: str
    marked: bool = False
    start: int = 0
    ids: list[int] = field(default_factory=list)
    css: str = ""


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """`text` as consecutive segments; the marked ones are the given spans, identical spans merged."""
    merged: dict[tuple[int, int], Span] = {}
    for span in spans:
        start, end = max(0, span.start), min(len(text), span.end)
        if end <= start:
            continue
        key = (start, end)
        if key in merged:
            merged[key].ids.extend(span.ids)
        else:
            merged[key] = Span(start, end, list(span.ids), span.css)
    out: list[Segment] = []
    position = 0
    # Shorter spans first at the same start: a figure wins over the sentence around it.
    for span in sorted(merged.values(), key=lambda s: (s.start, s.end - s.start)):
        if span.start < position:
            continue
        if span.start > position:
            out.append(Segment(text[position : span.start], start=position))
        out.append(Segment(text[span.start : span.end], True, span.start, span.ids, span.css))
        position = span.end
    if position < len(text):
        out.append(Segment(text[position:], start=position))
    return out


def text_pages(text: str, size: int) -> list[tuple[int, int]]:
    """`text` cut into pages of about `size` characters, as (start, end) offsets.

    A page ends at the last line break in its final fifth where there is one, so a paragraph is
    not cut in two; otherwise at `size`. A text shorter than `size` is one page (an empty text too).
    """
    pages: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", end - size // 5, end)
        end = cut + 1 if cut > start else end
        pages.append((start, end))
        start = end
    pages.append((start, len(text)))
    return pages
