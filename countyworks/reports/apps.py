from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "countyworks.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Registers the queue tasks of this app (issue 17).
        from countyworks.reports import tasks  # noqa: F401
