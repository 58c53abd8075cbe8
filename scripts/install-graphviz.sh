#!/usr/bin/env bash
# Installs Debian's Graphviz, whose `dot -Tsvg` validates and renders what `tfscope graph
# --format dot` prints (the graph tests run it). Idempotent: does nothing when `dot` exists.
# Fails loudly otherwise.
set -euo pipefail
if command -v dot >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-graphviz: error: dot is missing and installing it needs root (apt-get install graphviz)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends graphviz >/dev/null; then
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends graphviz >/dev/null || {
    echo "install-graphviz: error: apt-get install graphviz failed" >&2
    exit 1
  }
fi
echo "install-graphviz: installed $(command -v dot)" >&2
