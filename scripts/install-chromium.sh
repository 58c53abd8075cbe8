#!/usr/bin/env bash
# Installs Debian's Chromium, which the cost report and graph page tests use to render HTML
# headless to a PNG (and Mermaid's CLI to parse diagrams). Idempotent: does nothing when
# `chromium` exists. Fails loudly otherwise.
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-package.sh" chromium chromium
