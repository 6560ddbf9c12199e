#!/usr/bin/env bash
# Quick start, command 2 of 2: install what the tests need when missing (Debian packages
# redis-server, dovecot-imapd, chromium; npm ci), then run the whole test suite (npm test).
# .ci/run does the same, then the conformance and evaluation commands.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_apt redis-server=redis-server /usr/sbin/dovecot=dovecot-imapd /usr/bin/chromium=chromium
ensure_npm
npm test
