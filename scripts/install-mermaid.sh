#!/usr/bin/env bash
# Installs Mermaid's command-line renderer (npm @mermaid-js/mermaid-cli) into .cache/mermaid for
# the tests that check what `tfscope graph --format mermaid` and `plan --format markdown` print:
# mmdc parses and renders each diagram with the same Mermaid GitHub uses, in Debian's Chromium
# (scripts/install-chromium.sh), since puppeteer cannot download a browser of its own here.
# Needs node and npm (Debian's `nodejs` and `npm` when missing). Idempotent; fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
version=12.2.0
dest=.cache/mermaid
bin="$dest/node_modules/.bin/mmdc"
if [ -x "$bin" ] && [ "$(cat "$dest/version" 2>/dev/null)" = "$version" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-mermaid: error: npm is missing and installing it needs root (apt-get install nodejs npm)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q nodejs npm >/dev/null 2>&1 || {
    apt-get update -q >/dev/null
    apt-get install -y -q nodejs npm >/dev/null || {
      echo "install-mermaid: error: apt-get install nodejs npm failed" >&2
      exit 1
    }
  }
fi
rm -rf "$dest"
mkdir -p "$dest"
PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$dest" --no-audit --no-fund --loglevel=error \
  "@mermaid-js/mermaid-cli@$version" >/dev/null || {
  echo "install-mermaid: error: npm install @mermaid-js/mermaid-cli@$version failed" >&2
  exit 1
}
[ -x "$bin" ] || {
  echo "install-mermaid: error: the package holds no mmdc" >&2
  exit 1
}
echo "$version" >"$dest/version"
echo "install-mermaid: installed $bin" >&2
