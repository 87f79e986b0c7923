from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "countyworks.notify"
    verbose_name = _("Notification channels")

    def ready(self) -> None:
        from countyworks.notify import tasks  # noqa: F401
