"""A pytest plugin, loaded with `-p` before Django reads its settings: the tests speak plain http.

Settings turn HTTPS on whenever DEBUG is off (production's default). The test client and the
live server (session-scoped, its middleware built once) serve http, so HTTPS is switched off
here, at the source, rather than patched per test or per live server.
"""

import os

os.environ.setdefault("HTTPS", "0")
