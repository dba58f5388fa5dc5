#!/usr/bin/env bash
# Make sure `systemd-analyze` is installed, for the check of deploy/fibrobot.service.
# Only the analyzer is used (offline, on the unit file); no service is started.
set -u
if command -v systemd-analyze >/dev/null 2>&1; then
  exit 0
fi
echo "systemd-analyze not found: installing Debian's systemd package..."
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
elif command -v sudo >/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
fi
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "!!! Could not install systemd: the unit file test will FAIL (not skip)." >&2
fi
exit 0
