"""When the demo may create its login accounts. Plain Python so the rule is tested on its own.

The demo accounts have published passwords, so they must never appear on a production
server by accident: they are created only on a development setup (`DEBUG` on) or when the
operator says so explicitly with `COUNTYWORKS_DEMO_ACCOUNTS=1` (what `make run` does, since it
serves with `DEBUG=0` on localhost).
"""

from __future__ import annotations

DEMO_ACCOUNTS_ENV = "COUNTYWORKS_DEMO_ACCOUNTS"


def demo_accounts_allowed(debug: bool, env_value: str | None) -> bool:
    """True when the loader may create the demo logins."""
    return bool(debug) or (env_value or "").strip() == "1"
