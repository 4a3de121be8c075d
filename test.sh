#!/usr/bin/env bash
# Runs every test of the build on a fresh machine: installs what the tests need when it is missing, then verifies.
set -euo pipefail
cd "$(dirname "$0")"

need_packages=()
command -v java >/dev/null 2>&1 || need_packages+=(openjdk-17-jdk-headless)
# Browser tests drive Debian's Chromium through Playwright and never download a browser
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
# Cluster tests start their own redis-server processes from the PATH (never the system service)
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
if ((${#need_packages[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_packages[@]}"
  else
    echo "Missing: ${need_packages[*]}. Install them (apt-get install ${need_packages[*]}) and run again." >&2
    exit 1
  fi
fi

exec ./mvnw -B -ntp verify "$@"
