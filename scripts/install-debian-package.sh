#!/usr/bin/env bash
# install-debian-package.sh PACKAGE COMMAND [--no-install-recommends]: installs a Debian package
# with apt-get unless COMMAND is already on PATH (the install scripts of Chromium and Graphviz
# share it). Runs `apt-get update` only when the first attempt fails. Fails loudly.
set -euo pipefail
package="$1"
command="$2"
shift 2
if command -v "$command" >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-$package: error: $command is missing and installing it needs root (apt-get install $package)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "$@" "$package" >/dev/null; then
  apt-get update -q >/dev/null
  apt-get install -y -q "$@" "$package" >/dev/null || {
    echo "install-$package: error: apt-get install $package failed" >&2
    exit 1
  }
fi
echo "install-$package: installed $(command -v "$command")" >&2
