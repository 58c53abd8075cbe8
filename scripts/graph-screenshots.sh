#!/usr/bin/env bash
# Regenerates the README's pictures of `tfscope graph --format html` for the reference
# infrastructure (dev, with cost): the whole graph, and one resource clicked. Needs Chromium
# (scripts/install-chromium.sh). Writes docs/graph-dev.png and docs/graph-dev-explain.png.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
./target/release/tfscope graph --env dev --cost --format html >"$tmp/graph.html"
shoot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000 \
    --user-data-dir="$tmp/profile" --window-size=1600,1000 --screenshot="$1" "file://$tmp/graph.html$2" 2>/dev/null
}
shoot docs/graph-dev.png ""
shoot docs/graph-dev-explain.png "#select=module.app.module.service.aws_ecs_service.this"
ls -l docs/graph-dev.png docs/graph-dev-explain.png
