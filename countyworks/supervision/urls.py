"""URLs of the supervision screens."""

from django.urls import path

from countyworks.supervision import assessment_views, cycle_views, landing_views, procedure_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # issue 12: landing pages per role
    path("my/", landing_views.my_work_page, name="my_work"),
    path("leader/", landing_views.leader_page, name="leader"),
    path("items/<int:item_pk>/report/", views.report_new, name="report_new"),
    path("items/<int:item_pk>/notices/new/", views.notice_new, name="notice_new"),
    path("items/<int:item_pk>/instructions/", views.instruction_add, name="instruction_add"),
    path("reports/<int:pk>/resubmit/", views.report_resubmit, name="report_resubmit"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("evidence/<int:pk>/public/", views.evidence_public, name="evidence_public"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    # issue 13: the supervision procedure
    path("items/<int:item_pk>/extension/", procedure_views.extension_apply, name="extension_apply"),
    path("extensions/<int:pk>/decide/", procedure_views.extension_decide, name="extension_decide"),
    path("procedure/", procedure_views.procedure_queue, name="procedure_queue"),
    path("signoffs/<int:pk>/sign/", procedure_views.signoff_sign, name="signoff_sign"),
    path("items/<int:item_pk>/closure/", procedure_views.closure_apply, name="closure_apply"),
    path("closures/<int:pk>/decide/", procedure_views.closure_decide, name="closure_decide"),
    path("items/<int:item_pk>/reopen/", procedure_views.item_reopen, name="item_reopen"),
    path("items/<int:item_pk>/blockers/", procedure_views.blocker_raise, name="blocker_raise"),
    path("blockers/<int:pk>/answer/", procedure_views.blocker_answer, name="blocker_answer"),
    path("reports/<int:pk>/head-review/", procedure_views.report_head_review, name="report_head_review"),
    path("instructions/<int:pk>/item/", procedure_views.instruction_to_item, name="instruction_to_item"),
    # issue 19: the assessment ranking (考核排名) and its 红黑榜
    path("assessment/", assessment_views.ranking, name="assessment"),
    path("assessment/bonus/", assessment_views.award_bonus, name="assessment_bonus"),
    # issue 19: reporting cycles
    path("cycles/", cycle_views.plan_cycles, name="plan_cycles"),
    path("missing/", cycle_views.missing_reports, name="missing_reports"),
    path("items/<int:item_pk>/periods/reopen/", cycle_views.period_reopen, name="period_reopen"),
]
