#!/usr/bin/env bash
# Installs Debian's Chromium for the monitor's browser test (test/monitor/browser.test.ts), which
# drives /usr/bin/chromium through puppeteer-core. Does nothing when it is already there.
# Needs root (or sudo) and apt; non-interactive.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-chromium: /usr/bin/chromium is missing and this is not root (no sudo)" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
/usr/bin/chromium --version
