#!/usr/bin/env bash
# Install a Debian package when the command a test needs is missing: deb_install.sh COMMAND PACKAGE.
# CI runs on a fresh machine, so `make test` brings its own tools; a failure here fails loudly.
set -u
command="$1" package="$2"
command -v "$command" >/dev/null 2>&1 && exit 0
echo "$command not found: installing Debian's $package package..."
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null
command -v "$command" >/dev/null 2>&1 || { echo "!!! Could not install $package ($command)." >&2; exit 1; }
