#!/usr/bin/env bash
# Quick start, command 1 of 2: set up and run the gateway with its embedded demo defaults
# (local Redis, SQLite and .eml mail files under ./data, the web form on http://localhost:8080).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "aduan: installing ${need_apt[*]} (apt)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "aduan: installing npm dependencies (npm ci; better-sqlite3 may compile for about a minute)"
  npm ci --no-audit --no-fund
fi

exec node scripts/aduan.mjs start "$@"
