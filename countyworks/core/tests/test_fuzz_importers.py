"""Hostile input never crashes the reader or the importers: each failure is their own clear error.

Hypothesis and plain random generation feed the text reader (`textread.extract_mentions`,
`parse_structure`), the Excel task-table importer (`plans.importer`), the Excel figure-table
importer (`indicators.importer`) and the region-year JSON importer (`interchange.importing`) with
random text, random cells, wrong types, merged ranges, formulas, huge strings, deep nesting and
bytes that are not a workbook at all. The only exceptions allowed out are the importers' own
(`TaskImportError`, `FigureImportError`, `InterchangeError`), each with a message. Example counts are bounded so the suite stays fast.
"""

from __future__ import annotations

import copy
import io
import json
import random
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from countyworks.core.tests.matrix import TASK_HEADER, database_fingerprint, fingerprint_difference
from countyworks.interchange import common, exporting, importing
from countyworks.plans import importer
from countyworks.textread import extract_mentions, parse_structure

BOUNDED = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text the reader is built for, so random strings reach deep into its rules, not only its first check.
READER_PIECES = [
    "一", "二", "十", "百", "千", "万", "亿", "零", "两", "半", "余", "多", "近", "超", "约",
    "0", "1", "9", "5.2", "１２", "100000000000000000000000", "1e308", "-", "—", "～", "至", "%",
    "％", "个百分点", "元", "万元", "亿元", "吨", "公里", "亩", "人", "户", "家", "项", "倍", "年",
    "2023年", "2035年", "同比", "增长", "下降", "达到", "完成", "其中", "分别", "占", "比上年",
    "（", "）", "(", ")", "【", "】", "〔", "〕", "《", "》", "“", "”", "，", "。", "；", "：", "、",
    "\n", " ", "一、", "（一）", "1.", "第三", "全县", "地区生产总值", "\x00", "\u200b", "\ufeff",
]  # fmt: skip
reader_text = st.lists(st.sampled_from(READER_PIECES), max_size=120).map("".join)


def _check_mentions(text: str) -> None:
    mentions = extract_mentions(text, doc_id="fuzz", doc_year=2023)
    assert isinstance(mentions, list)
    for mention in mentions:
        assert 0 <= mention.start <= mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        json.dumps(mention.as_dict(), ensure_ascii=False, allow_nan=True)


@BOUNDED
@given(st.text(max_size=400))
def test_it_reads_any_unicode_text_without_crashing(text):
    _check_mentions(text)
    parse_structure(text)


@BOUNDED
@given(reader_text)
def test_it_reads_random_report_like_text_without_crashing(text):
    _check_mentions(text)
    parse_structure(text)


@pytest.mark.parametrize(
    "text",
    [
        "增长" + "9" * 5000 + "亿元",
        "完成" + "万" * 2000 + "元",
        "（" * 3000 + "地区生产总值100亿元" + "）" * 3000,
        "（（【《〔" * 500 + "增长5%",
        "）" * 1000 + "（" * 1000,
        "一、" * 2000,
        "１" * 10000 + "％",
        "1." * 5000,
        "\n" * 20000,
        "达到1e99999亿元，增长-0.0%，下降NaN%。",
    ],
    ids=[
        "huge number",
        "ten-thousand chain",
        "deep brackets",
        "mixed open brackets",
        "unbalanced brackets",
        "heading flood",
        "full-width digits",
        "numbering flood",
        "blank lines",
        "overflow words",
    ],
)
def test_it_reads_pathological_text_without_crashing(text):
    _check_mentions(text)
    parse_structure(text)


# Excel task table ------------------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(
        ["=1/0", "=SUM(A1:A9)", '=HYPERLINK("http://x","y")', "#REF!", "进行中", "已完成", "100%"]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)),
    st.just("长" * 40_000),
)


def _workbook_bytes(
    header: list[Any], rows: list[list[Any]], merges: list[tuple[int, int, int, int]]
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["任务分解表"])
    sheet.append(header)
    for row in rows:
        sheet.append([None if isinstance(v, float) and v != v else v for v in row])
    for top, left, height, width in merges:
        sheet.merge_cells(start_row=top, start_column=left, end_row=top + height, end_column=left + width)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import_or_own_error(cast, data: bytes) -> None:
    """Preview and a dry-run import: either works, or raises TaskImportError with a message."""
    before = database_fingerprint()
    for attempt in (
        lambda: importer.preview_import(cast.plan, io.BytesIO(data)),
        lambda: importer.run_import(
            cast.supervisor, cast.plan, io.BytesIO(data), create_missing=True, dry_run=True
        ),
    ):
        try:
            attempt()
        except importer.TaskImportError as exc:
            assert exc.message.strip()
    assert fingerprint_difference(before, database_fingerprint()) == []


workbook_rows = st.lists(st.lists(cell_values, min_size=0, max_size=10), max_size=8)
merge_ranges = st.lists(
    st.tuples(st.integers(1, 8), st.integers(1, 8), st.integers(0, 3), st.integers(0, 3)),
    max_size=3,
)


@BOUNDED
@given(rows=workbook_rows, merges=merge_ranges, header=st.sampled_from(["task", "random"]))
def test_it_imports_or_refuses_random_workbooks_with_its_own_error(cast, rows, merges, header):
    heading = TASK_HEADER if header == "task" else [f"列{n}" for n in range(8)]
    try:
        data = _workbook_bytes(heading, rows, merges)
    except (ValueError, TypeError, IllegalCharacterError):
        return  # openpyxl itself refused to write this workbook (control characters): nothing to import
    _import_or_own_error(cast, data)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


NOT_WORKBOOKS = {
    "empty": b"",
    "text": "序号,任务内容\n1,测试".encode(),
    "pdf": b"%PDF-1.4\n%%EOF",
    "elf": b"\x7fELF" + b"\x00" * 100,
    "empty zip": _zip({}),
    "zip without workbook": _zip({"hello.txt": b"hi"}),
    "broken workbook xml": _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<<<"}),
    "truncated xlsx": _workbook_bytes(TASK_HEADER, [[1, "任务"]], [])[:300],
    "random bytes": random.Random(7).randbytes(4096),
}


@pytest.mark.parametrize("name", NOT_WORKBOOKS)
def test_it_refuses_bytes_that_are_not_a_workbook_with_its_own_error(cast, name):
    with pytest.raises(importer.TaskImportError) as caught:
        importer.preview_import(cast.plan, io.BytesIO(NOT_WORKBOOKS[name]))
    assert caught.value.message.strip()


# Excel figure table (indicators) ---------------------------------------------------------

figure_cells = st.one_of(
    cell_values,
    st.sampled_from(
        ["地区生产总值", "gdp", "140427", "水平", "增速", "近", "超", "亿元", "%", "是", "2023", "Q3"]
    ),
)


def _figures_or_own_error(cast, data: bytes) -> None:
    """A figure-table preview either lists figures and problems or raises FigureImportError; it writes nothing."""
    from countyworks.indicators import importer as figures

    before = database_fingerprint()
    try:
        figures.preview_import(cast.supervisor, cast.county, io.BytesIO(data))
    except figures.FigureImportError as exc:
        assert exc.message.strip()
    assert fingerprint_difference(before, database_fingerprint()) == []


@BOUNDED
@given(
    rows=st.lists(st.lists(figure_cells, min_size=0, max_size=12), max_size=8),
    merges=merge_ranges,
    header=st.sampled_from(["figure", "random"]),
)
def test_it_previews_or_refuses_random_figure_tables_with_its_own_error(cast, rows, merges, header):
    from countyworks.indicators import figure_table
    from countyworks.indicators.models import Indicator

    Indicator.objects.get_or_create(code="gdp", defaults={"name": "地区生产总值", "unit": "亿元"})
    heading = list(figure_table.COLUMNS) if header == "figure" else [f"列{n}" for n in range(12)]
    try:
        data = _workbook_bytes(heading, rows, merges)
    except (ValueError, TypeError, IllegalCharacterError):
        return  # openpyxl itself refused to write this workbook (control characters): nothing to import
    _figures_or_own_error(cast, data)


@pytest.mark.parametrize("name", NOT_WORKBOOKS)
def test_the_figure_import_refuses_bytes_that_are_not_a_workbook_with_its_own_error(cast, name):
    from countyworks.indicators import importer as figures

    with pytest.raises(figures.FigureImportError) as caught:
        figures.preview_import(cast.supervisor, cast.county, io.BytesIO(NOT_WORKBOOKS[name]))
    assert caught.value.message.strip()


# Region-year JSON ------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _import_or_own_error_json(data: Any, *, compare: bool = True) -> None:
    before = database_fingerprint() if compare else None
    try:
        with transaction.atomic():
            importing.import_region_year(data)
            transaction.set_rollback(True)  # a file that happens to be valid: do not keep it
    except common.InterchangeError as exc:
        assert exc.message.strip()
    if before is not None:
        assert fingerprint_difference(before, database_fingerprint()) == []


@BOUNDED
@given(json_values)
def test_it_refuses_random_json_with_its_own_error(db, data):
    _import_or_own_error_json(data)


@pytest.fixture
def valid_export(cast, settings, tmp_path) -> dict:
    from countyworks.interchange.tests.factories import build_region_year

    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    return exporting.export_region_year("140427", 2023)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*prefix, index)))
    return found


def _replace(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@BOUNDED
@given(choice=st.integers(min_value=0), value=json_values)
def test_it_refuses_a_valid_file_with_one_wrong_value_with_its_own_error(valid_export, choice, value):
    paths = _paths(valid_export)
    data = _replace(copy.deepcopy(valid_export), paths[choice % len(paths)], value)
    _import_or_own_error_json(data)


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for _level in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("depth", [50, 900])
def test_it_refuses_deeply_nested_json_with_its_own_error(valid_export, depth):
    data = copy.deepcopy(valid_export)
    data["items"][0]["title"] = _nested(depth, "深")
    data["regions"] = _nested(depth, {})
    _import_or_own_error_json(data)


def test_it_refuses_wrong_types_in_every_field_of_a_record_with_its_own_error(valid_export):
    """Two wrong values (a seeded random pick) in each field of each section's first record."""
    wrong = [None, 0, -1, 1.5, 10**40, "", "x" * 10_000, [], {}, True, "2023-02-30", "\x00"]
    pick = random.Random(2023)
    before = database_fingerprint()
    for section, records in valid_export.items():
        if not isinstance(records, list) or not records or not isinstance(records[0], dict):
            continue
        for field_name in list(records[0]):
            for value in pick.sample(wrong, 2):
                data = copy.deepcopy(valid_export)
                data[section][0][field_name] = value
                _import_or_own_error_json(data, compare=False)
    assert fingerprint_difference(before, database_fingerprint()) == []


def test_it_refuses_a_file_that_is_not_json_with_its_own_error(tmp_path):
    for name, content in {
        "empty": b"",
        "truncated": b'{"format_version": 1, "items": [',
        "gbk": "标题".encode("gbk"),
        "binary": bytes(range(256)),
        "huge number": b'{"format_version": 1e999999}',
    }.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        try:
            data = importing.load_file(path)
        except common.InterchangeError as exc:
            assert str(path) in exc.message
            continue
        with pytest.raises(common.InterchangeError):
            importing.validate(data)


def test_it_reads_dates_in_the_header_of_a_task_table_without_crashing(cast):
    data = _workbook_bytes(
        [datetime(2023, 1, 1), 1, None, True, "=A1", 3.5, "完成时限", "进度"], [[1, 2, 3]], []
    )
    _import_or_own_error(cast, data)


# Screens and endpoints with hostile query strings ------------------------------------------

HOSTILE_QUERY = (
    "?page=abc&plan=x&node=-1&year=-1&format=zzz&region=%3Cscript%3E&sort=;drop&ordering=--id"
    "&start=-5&end=99999999999999999999999&q=%00%FF&limit=-1&offset=1e9&state=%27&kind=%22"
    "&date_from=2023-02-30&date_to=9999999-01-01&unit=1e400&overdue=maybe&light=%E2%80%AE"
)


@pytest.mark.parametrize("role", ["supervisor", "anonymous"])
def test_it_answers_hostile_query_strings_on_every_page_without_a_server_error(
    cast, settings, tmp_path, role
):
    from countyworks.core.tests.matrix import build_world, client_for
    from countyworks.core.tests.test_permission_matrix import TABLE

    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(cast)
    client = client_for(world, role)
    failures = []
    for row in TABLE:
        if row.method != "GET":
            continue
        target = row.url(world, world.a).split("?")[0] + HOSTILE_QUERY
        status = client.get(target).status_code
        if status >= 500:
            failures.append(f"{row.id}: {status}")
    assert failures == []


HUGE_ID = 99_999_999_999_999_999_999


@pytest.mark.parametrize("role", ["supervisor", "token_write"])
def test_it_answers_huge_ids_in_paths_without_a_server_error(cast, settings, tmp_path, role):
    """An id beyond any database integer is a 404 (or a 4xx naming it), never a crash."""
    from django.urls import get_resolver, reverse

    from countyworks.core.tests.matrix import build_world, client_for
    from countyworks.core.tests.test_permission_matrix import TABLE, _walk

    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(cast)
    client = client_for(world, role)
    failures = []
    checked = 0
    for _namespace, name, pattern in _walk(get_resolver().url_patterns):
        converters = getattr(pattern.pattern, "converters", {})
        if not name or name.startswith("admin:") or not converters:
            continue
        kwargs = {
            key: (HUGE_ID if type(conv).__name__ == "IntConverter" else "140427")
            for key, conv in converters.items()
        }
        if not any(value == HUGE_ID for value in kwargs.values()) and "id" not in kwargs:
            continue
        if "id" in kwargs:
            kwargs["id"] = HUGE_ID
        target = reverse(name, kwargs=kwargs)
        methods = {row.method for row in TABLE if row.name == name} or {"GET"}
        for method in methods:
            checked += 1
            try:
                status = client.generic(method, target, "{}", content_type="application/json").status_code
            except Exception as exc:  # noqa: BLE001 (the point is to name whatever escapes)
                failures.append(f"{method} {target}: {type(exc).__name__}: {exc}")
                continue
            if status >= 500:
                failures.append(f"{method} {target}: {status}")
    assert checked > 30, "the walk should reach every route with an id"
    assert failures == []
