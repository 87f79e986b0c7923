"""Signals the plans app sends, so the apps above it can follow a plan's changes without plans
importing them (the layers contract: plans sits below supervision)."""

from django.dispatch import Signal

# Sent with `item` when a work item is created or its lead or co-operating units change:
# supervision opens the 签收 rows of the units that must sign for it (issue 13).
item_assigned = Signal()
