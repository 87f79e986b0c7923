"""Short Chinese texts in the genre of county work reports, written for these tests."""

REVIEW_2023 = (
    "一、2023年主要工作\n"
    "全县地区生产总值达到约120.5亿元，同比增长5.3%。全年新增城镇就业超2000人。\n"
    "年内推进民生实事16件，农村居民人均可支配收入是2015年的2.1倍。我县入选全国县域商业体系建设示范县。\n"
    "实施亿元以上项目8个，新建冷链物流园项目总投资3.2亿元。\n"
)

NEWS_2023 = "2023年，县里承诺的民生实事12件全部兑现，<b>群众</b>满意度持续提升。\n"

PLAN_2023 = "一、产业振兴\n（一）特色农业\n加快建设中药材种植基地。\n（二）文旅融合\n推进景区提质改造。\n"

# A report on 2023 that ends with the plan for 2024: figures under the second heading are goals.
REPORT_AND_PLAN_2023 = (
    "一、2023年工作回顾\n"
    "全县一般公共预算收入完成7.8亿元，预计全年外贸进出口总额达到2.4亿元左右。\n"
    "二、2024年工作安排\n"
    "2024年全县发展的主要预期目标是：地区生产总值增长6.5%左右，城镇新增就业1800人以上。\n"
    "力争全年接待游客突破650万人次，目前已建成智慧停车位900个。\n"
)

# A news item on the current year: one goal stated with 力争, the rest facts.
NEWS_WITH_AIM_2023 = "今年以来，全县新建乡村公路46公里，力争年底前完成改造农村危房300户。\n"
