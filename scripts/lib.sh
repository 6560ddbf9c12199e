# Shared by quickstart.sh and test.sh: install missing Debian packages and npm dependencies.

# ensure_apt <command-or-path>=<package> ...: apt-get install the packages whose command is missing.
ensure_apt() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%=*}"; pkg="${pair#*=}"
    if [ "${cmd#/}" != "$cmd" ]; then [ -x "$cmd" ] || missing+=("$pkg")
    else command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "aduan: installing ${missing[*]} (apt)"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

# ensure_npm: npm ci when node_modules is missing or older than the lock file.
ensure_npm() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "aduan: installing npm dependencies (npm ci; better-sqlite3 may compile for about a minute)"
    npm ci --no-audit --no-fund
  fi
}
