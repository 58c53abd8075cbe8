#!/usr/bin/env bash
# Installs Debian's Graphviz, whose `dot -Tsvg` validates and renders what `tfscope graph
# --format dot` prints (the graph tests run it). Idempotent: does nothing when `dot` exists.
# Fails loudly otherwise.
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-package.sh" graphviz dot --no-install-recommends
