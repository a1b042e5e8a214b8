#!/bin/sh
# Install what tests/test_browser.py needs: Debian's chromium (driven by the `playwright`
# pip package, whose own browser download is never used) and an Arabic font for
# readable screenshots. Idempotent: does nothing when chromium is already there.
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-core
/usr/bin/chromium --version
