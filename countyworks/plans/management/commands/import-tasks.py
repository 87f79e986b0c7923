"""`countyworks import-tasks`: the hyphenated name of `countyworks import_tasks` (same command).

Django lists commands by file name and imports them with importlib, which accepts this name.
"""

from countyworks.plans.management.commands.import_tasks import Command

__all__ = ["Command"]
