"""Reading the figure table: what Excel stores is not always what the clerk sees."""

from decimal import Decimal

from openpyxl import Workbook

from countyworks.indicators import figure_table


def test_a_percent_formatted_cell_is_read_as_the_percent_the_clerk_sees():
    # Typing "5.2%" into Excel stores 0.052 with a percent format; the clerk meant a growth of 5.2 %.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["指标", "年份", "数值类型", "数值", "单位", "基期年份"])
    sheet.append(["地区生产总值", 2023, "增速", 0.052, "%", 2022])
    sheet.append(["地区生产总值", 2023, "水平", 98.6, "亿元", None])
    sheet["D2"].number_format = "0.0%"
    table = figure_table.read_figure_table(workbook)
    assert table.problems == []
    assert [row.value for row in table.rows] == [Decimal("5.2"), Decimal("98.6")]
