"""Progress texts written for these tests (our own wording), with the ledger items they speak of."""

from __future__ import annotations

from datetime import date

from countyworks.plans.models import ItemKind, WorkItem
from countyworks.regions.models import Organisation, OrganisationKind

# (title, lead unit name, short name)
LEDGER = [
    ("城区雨污管网改造", "壶关县住房和城乡建设局", "县住建局"),
    ("乡镇卫生院提质扩容", "壶关县卫生健康局", "县卫健局"),
    ("农村饮水安全巩固提升", "壶关县水利局", ""),
    ("城乡公交一体化", "壶关县交通运输局", ""),
]

PROGRESS_2023 = """2023年民生实事进展情况（截至10月底）

一、城区雨污管网改造。计划改造雨污管网24公里，已完成18公里，预计年底前全面完工。（县住建局）
二、乡镇卫生院提质扩容。6所乡镇卫生院提质扩容已完成4所（67%），其余2所预计11月底前完工。（县卫健局）
三、农村饮水安全巩固提升。工程整体进度80%，预计12月20日前完成通水。（县水利局）
四、城乡公交一体化。新开通线路3条，车辆采购正在招标。（县交通运输局）
五、乡村图书室建设。已建成图书室15个，完成率75%。（县文旅局）
"""

SUPERVISION_2023 = """关于民生实事推进情况的督查通报

一、城区雨污管网改造项目完成投资0.6亿元，进度滞后于序时进度，责任单位县住建局。
二、农村饮水安全巩固提升工程推进缓慢，部分管网尚未铺设，县水利局需加快进度。
三、乡镇卫生院提质扩容进展顺利。
请以上单位于11月15日前将整改情况报送县委县政府督查室。
"""


def make_ledger(cast) -> dict[str, WorkItem]:
    items = {}
    for title, unit_name, short in LEDGER:
        unit = Organisation.objects.create(
            name=unit_name, short_name=short, region=cast.county, kind=OrganisationKind.DEPARTMENT
        )
        items[title] = WorkItem.objects.create(
            plan=cast.plan,
            kind=ItemKind.LIVELIHOOD,
            title=title,
            lead_unit=unit,
            start_date=date(2023, 1, 1),
            due_date=date(2023, 12, 31),
        )
    return items
