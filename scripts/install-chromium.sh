#!/usr/bin/env bash
# Installs Debian's Chromium, which the cost report test uses to render the HTML report headless
# to a PNG. Idempotent: does nothing when /usr/bin/chromium exists. Fails loudly otherwise.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-chromium: error: chromium is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q chromium >/dev/null; then
  apt-get update -q >/dev/null
  apt-get install -y -q chromium >/dev/null || {
    echo "install-chromium: error: apt-get install chromium failed" >&2
    exit 1
  }
fi
echo "install-chromium: installed $(command -v chromium)" >&2
