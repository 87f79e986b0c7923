"""What every browser test launches: Debian's Chromium, never a downloaded browser."""

CHROMIUM = "/usr/bin/chromium"
# Headless as root, and quiet: this machine's closed network refuses Chromium's background calls.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
