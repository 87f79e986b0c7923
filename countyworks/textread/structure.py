"""Document structure: line breaks that do not end anything, headings, sections, paragraphs, sentences.

Texts copied out of newspapers and PDFs break lines in the middle of a sentence (在全市\\n\\n进行交流推广).
`join_lines` removes such breaks and keeps a map back to the original offsets, so everything
downstream reads whole sentences while mentions still point at the characters as written.
Headings are the ones Chinese official documents use (一、 （一） 1. （1）) and markdown ones (###).
A plan text becomes a goal tree: its headings nested by level, each with the task sentences under it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# A heading line: markdown, 一、, （一）, 1. / 1、, （1）, 第一章/第一节/第一部分.
_HEADING_RE = re.compile(
    r"^[ \t\u3000]*(?:"
    r"(?P<md>#{1,6})[ \t]+"
    r"|(?P<cn>[一二三四五六七八九十]{1,3})[、.．]"
    r"|[（(](?P<pcn>[一二三四五六七八九十]{1,3})[）)]"
    r"|(?P<ar>[0-9]{1,2})(?:[、．]|\.(?![0-9]))"
    r"|[（(](?P<par>[0-9]{1,2})[）)]"
    r"|(?P<chap>第[一二三四五六七八九十]{1,3}[章节部分篇]+)[ \t\u3000]*"
    r")(?P<title>.*)$",
    re.M,
)
_SENTENCE_END = "。！？!?；;…"
_CLOSERS = "”’」』）)》"
# A break ends nothing when the line before has no closing punctuation and the next line is not a
# heading, a list item, a photo caption marker or a blank-separated short title.
_BREAK_RE = re.compile(r"[ \t\u3000]*\n[\s\u3000]*")
_LINE_START_MARK_RE = re.compile(
    r"#|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十0-9]{1,3}[）)]|[0-9]{1,2}[、．.](?![0-9])"
    r"|第[一二三四五六七八九十]{1,3}[章节部分篇]|[①-⑳]|[-*•]\s|\|"
)
# A row of a table pasted as text (| 蔬 菜 | 31.2 |, or cells between tabs): its line break is kept.
_TABLE_ROW_RE = re.compile(r"^\||.*\t")
_SENTENCE_SPLIT_RE = re.compile(r"[^。！？!?；;…\n]*(?:[。！？!?；;…]+[”’」』）)]*|\n|$)")

_CAPTION_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
TASK_VERBS_RE = re.compile(
    r"推进|推动|加快|实施|完成|建设|打造|确保|力争|开展|落实|加强|提升|提高|深化|培育|健全|完善|启动|新建|改造|争取|实现"
)


@dataclass(slots=True)
class Joined:
    """Text with mid-sentence line breaks removed, and the way back to original offsets."""

    text: str
    _cuts: list[int]  # positions in `text` where removed characters were
    _shifts: list[int]  # cumulative number of characters removed up to and including each cut

    def to_original(self, pos: int, *, is_end: bool = False) -> int:
        # An end offset sitting exactly at a cut stays before the removed break.
        i = bisect.bisect_left(self._cuts, pos) if is_end else bisect.bisect_right(self._cuts, pos)
        return pos + (self._shifts[i - 1] if i else 0)


def join_lines(text: str) -> Joined:
    pieces: list[str] = []
    cuts: list[int] = []
    shifts: list[int] = []
    removed = 0
    last = 0
    out_len = 0
    for m in _BREAK_RE.finditer(text):
        before = text[last : m.start()]
        nxt = m.end()
        line_start = text.rfind("\n", 0, m.start()) + 1
        prev_line = text[line_start : m.start()].strip()
        join = (
            bool(prev_line)
            and nxt < len(text)
            and prev_line[-1] not in _SENTENCE_END
            and prev_line[-1] not in _CLOSERS
            and not _HEADING_RE.match(prev_line)
            and not _LINE_START_MARK_RE.match(text, nxt)
            and not _TABLE_ROW_RE.match(prev_line)
            and prev_line[0] not in "①②③④⑤⑥⑦⑧⑨⑩"
            and "\n" not in text[nxt : nxt + 1]
        )
        pieces.append(before)
        out_len += len(before)
        if join:
            gone = m.end() - m.start()
        else:
            # Keep one newline so the break still ends the sentence.
            pieces.append("\n")
            out_len += 1
            gone = m.end() - m.start() - 1
        if gone:
            removed += gone
            cuts.append(out_len)
            shifts.append(removed)
        last = m.end()
    pieces.append(text[last:])
    return Joined("".join(pieces), cuts, shifts)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Section:
    level: int
    label: str
    title: str
    start: int  # offset of the heading line in the original text
    end: int  # offset where the next heading of the same or a higher level starts
    children: list[Section] = field(default_factory=list)
    tasks: list[Sentence] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        m = re.search(r"((?:19|20)[0-9]{2})年", self.title)
        return int(m.group(1)) if m else None


@dataclass(slots=True)
class Structure:
    sections: list[Section]  # every heading, in text order
    roots: list[Section]  # the top of the goal tree
    paragraphs: list[tuple[int, int]]
    sentences: list[Sentence]
    # For lookups by offset in time that does not grow with the document: where each section and
    # sentence starts, and the index of each section's parent (-1 for a root).
    section_starts: list[int] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)

    def sections_at(self, pos: int) -> list[Section]:
        """The sections containing original offset `pos`, innermost first."""
        i = bisect.bisect_right(self.section_starts, pos) - 1
        out = []
        while i >= 0:
            sec = self.sections[i]
            if sec.start <= pos < sec.end:
                out.append(sec)
            i = self.parents[i]
        return out

    def section_at(self, pos: int) -> Section | None:
        """The innermost section containing original offset `pos`."""
        around = self.sections_at(pos)
        return around[0] if around else None

    def sentence_at(self, pos: int) -> Sentence | None:
        """The sentence containing original offset `pos`."""
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        if i >= 0 and pos < self.sentences[i].end:
            return self.sentences[i]
        return None


def _heading_level(m: re.Match[str]) -> tuple[int, str]:
    if m.group("md"):
        return len(m.group("md")), m.group("md")
    if m.group("chap"):
        return 0, m.group("chap")
    for level, name in ((1, "cn"), (2, "pcn"), (3, "ar"), (4, "par")):
        if m.group(name):
            return level + 10, m.group(name)
    return 99, ""


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    out = []
    for m in _SENTENCE_SPLIT_RE.finditer(text):
        s = m.group()
        if s.strip():
            lead = len(s) - len(s.lstrip())
            out.append(Sentence(offset + m.start() + lead, offset + m.end(), s.strip()))
    return out


def parse_structure(text: str) -> Structure:
    """Headings (with levels), paragraphs and sentences of `text`, in original offsets."""
    sections: list[Section] = []
    for m in _HEADING_RE.finditer(text):
        title = m.group("title").strip()
        line = m.group().strip()
        # A numbered line that runs on as a long sentence is a list item, not a heading.
        if not title or (not m.group("md") and len(line) > 40 and line[-1] in "。；;"):
            continue
        level, label = _heading_level(m)
        sections.append(Section(level, label, title, m.start(), len(text)))
    # The stack holds the open sections with strictly rising levels: a heading closes every open
    # section of its level or deeper, and the one left on top is its parent.
    stack: list[int] = []
    roots: list[Section] = []
    parents: list[int] = []
    for i, sec in enumerate(sections):
        while stack and sections[stack[-1]].level >= sec.level:
            sections[stack.pop()].end = sec.start
        parents.append(stack[-1] if stack else -1)
        (sections[stack[-1]].children if stack else roots).append(sec)
        stack.append(i)

    joined = join_lines(text)
    paragraphs: list[tuple[int, int]] = []
    sentences: list[Sentence] = []
    pos = 0
    for block in joined.text.split("\n"):
        if block.strip():
            start = joined.to_original(pos)
            end = joined.to_original(pos + len(block), is_end=True)
            paragraphs.append((start, end))
            for s in split_sentences(block, pos):
                sentences.append(
                    Sentence(joined.to_original(s.start), joined.to_original(s.end, is_end=True), s.text)
                )
        pos += len(block) + 1
    heading_starts = {s.start for s in sections}
    section_starts = [s.start for s in sections]
    for sentence in sentences:
        # Photo captions (①新建的产业园区) describe pictures, not tasks.
        if (
            sentence.start in heading_starts
            or sentence.text[0] in _CAPTION_MARKS
            or not TASK_VERBS_RE.search(sentence.text)
        ):
            continue
        # Leaf sections do not overlap, so the only leaf that can hold the sentence is the last
        # section that starts before it.
        i = bisect.bisect_right(section_starts, sentence.start) - 1
        sec = sections[i] if i >= 0 else None
        if sec is not None and sentence.start < sec.end and not sec.children:
            sec.tasks.append(sentence)
    return Structure(
        sections, roots, paragraphs, sentences, section_starts, parents, [s.start for s in sentences]
    )


def goal_tree(text: str) -> list[dict[str, object]]:
    """A plan text as nested goals: each heading with its task sentences and sub-goals."""

    def node(s: Section) -> dict[str, object]:
        return {
            "label": s.label,
            "title": s.title,
            "tasks": [t.text for t in s.tasks],
            "children": [node(c) for c in s.children],
        }

    return [node(r) for r in parse_structure(text).roots]
