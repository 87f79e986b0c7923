from __future__ import annotations

from countyworks.textread import goal_tree, parse_structure
from countyworks.textread.structure import join_lines

PLAN = """某某县2024年重点工作任务

一、扎实推进产业转型
（一）壮大新兴产业
1. 加快建设新材料产业园，年内完成投资10亿元。
2. 力争培育规模以上工业企业5家。
（二）提升传统产业
推动煤炭企业智能化改造，确保完成3座矿井改造。
二、持续改善民生
（一）办好民生实事
兑现12件民生实事，新建幼儿园2所。
"""


def test_it_nests_headings_into_a_goal_tree():
    tree = goal_tree(PLAN)
    assert [n["title"] for n in tree] == ["扎实推进产业转型", "持续改善民生"]
    first = tree[0]["children"]
    assert [n["label"] for n in first] == ["一", "二"]
    assert [n["title"] for n in first[0]["children"]] == [
        "加快建设新材料产业园，年内完成投资10亿元。",
        "力争培育规模以上工业企业5家。",
    ]
    assert first[1]["tasks"] == ["推动煤炭企业智能化改造，确保完成3座矿井改造。"]
    assert tree[1]["children"][0]["tasks"] == ["兑现12件民生实事，新建幼儿园2所。"]


def test_it_finds_the_section_of_a_position():
    s = parse_structure(PLAN)
    pos = PLAN.index("3座")
    assert s.section_at(pos).title == "提升传统产业"
    assert s.section_at(PLAN.index("12件")).title == "办好民生实事"
    assert s.section_at(0) is None


def test_it_reads_markdown_headings():
    s = parse_structure("# 总标题\n\n## 第一部分\n正文一句。\n### 小节\n正文两句。第二句！\n")
    assert [(x.level, x.title) for x in s.sections] == [(1, "总标题"), (2, "第一部分"), (3, "小节")]
    assert [x.title for x in s.roots] == ["总标题"]
    assert [x.text for x in s.sentences if "正文" in x.text or "第二句" in x.text] == [
        "正文一句。",
        "正文两句。",
        "第二句！",
    ]


def test_it_joins_lines_broken_in_the_middle_of_a_sentence():
    text = "全县新建学校\n\n12所，完成投资\n3亿元。\n新的一段。"
    s = parse_structure(text)
    assert [x.text for x in s.sentences] == ["全县新建学校12所，完成投资3亿元。", "新的一段。"]
    assert len(s.paragraphs) == 2
    for x in s.sentences:
        assert text[x.start : x.end].replace("\n", "") == x.text


def test_it_keeps_breaks_after_headings_captions_and_closing_punctuation():
    text = "### 标题\n正文开始\n①图片说明\n②另一说明\n句子结束。\n下一句"
    assert join_lines(text).text == "### 标题\n正文开始\n①图片说明\n②另一说明\n句子结束。\n下一句"


def test_it_maps_joined_offsets_back():
    text = "ab\n\ncd。\nef"
    j = join_lines(text)
    assert j.text == "abcd。\nef"
    assert text[j.to_original(2)] == "c"
    assert j.to_original(2, is_end=True) == 2
    assert text[j.to_original(6)] == "e"
