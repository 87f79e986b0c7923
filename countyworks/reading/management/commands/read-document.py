"""`countyworks read-document`: the same command as `read_document` under its hyphenated name."""

from countyworks.reading.management.commands.read_document import Command  # noqa: F401
