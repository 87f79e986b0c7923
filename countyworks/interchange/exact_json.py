"""Django's JSON serializer, but writing times to the microsecond.

Django's own JSON encoder cuts datetimes to milliseconds (ECMA-262 style), so a backup restored
from it would not hold exactly what was backed up: 08:20:27.000456 came back as 08:20:27. The
backup dumps with this format; restoring reads it with Django's ordinary JSON deserializer, which
accepts the full ISO 8601 text. Registered as "exactjson" in SERIALIZATION_MODULES.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import Deserializer as Deserializer  # noqa: PLC0414 - the module's API
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoJSONSerializer
from django.utils.timezone import is_aware


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if is_aware(o) and text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoJSONSerializer):
    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
