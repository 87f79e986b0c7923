from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "countyworks.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # Registers the queue tasks and the daily schedule of this app (issue 17).
        from countyworks.plans.signals import item_assigned
        from countyworks.supervision import tasks  # noqa: F401

        # 签收: an item created or given new units is signed for by them (issue 13).
        item_assigned.connect(_on_item_assigned, dispatch_uid="supervision.assign_item")


def _on_item_assigned(sender: Any, item: Any, **kwargs: Any) -> None:
    from countyworks.supervision.procedure_services import assign_item

    assign_item(item)
