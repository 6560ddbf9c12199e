#!/usr/bin/env bash
# Quick start, command 1 of 2: set up and run the gateway with its embedded demo defaults
# (local Redis, SQLite and .eml mail files under ./data, the web form on http://localhost:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_apt redis-server=redis-server
ensure_npm
exec node scripts/aduan.mjs start "$@"
