#!/usr/bin/env bash
# Build tfscope's mock Terraform provider (tests/mock-provider) and install it
# into a local filesystem mirror, so `terraform init` finds it without network.
#
# One binary serves every provider below; its executable name decides which
# one it is, and the JSON file named by TFSCOPE_MOCK_SCHEMA decides which
# resource and data source types it serves (tests/mock-provider/README.md).
#
# Layout (CACHE = $TFSCOPE_CACHE, or <repo>/.cache when unset):
#   CACHE/mock-provider-target/                 cargo target dir (release build)
#   CACHE/mock-provider/terraform-provider-mock the installed binary
#   CACHE/mock-provider/stamp                   hash of the sources it was built from
#   CACHE/mirror/registry.terraform.io/NAMESPACE/NAME/VERSION/linux_amd64/terraform-provider-NAME_vVERSION
#   CACHE/terraformrc                           Terraform CLI config using that mirror
#
# Idempotent: when the sources (Cargo.toml, Cargo.lock, src/**) hash to the
# stamp and every installed file is in place, nothing is built and the run
# takes well under a second. protoc (Debian's protobuf-compiler, needed by
# the tf-provider crate's build script) is installed with apt-get only when a
# build is needed and it is missing.
#
# Environment:
#   TFSCOPE_CACHE  cache directory (default: <repo>/.cache)
#   CARGO          cargo to use (default: cargo)
#   PROTOC         protoc to use (default: protoc on PATH)
#
# Prints, on success, the one line
#   TF_CLI_CONFIG_FILE=<absolute path of CACHE/terraformrc>
# Anything that goes wrong exits non-zero with a message saying what failed.
set -euo pipefail

# NAMESPACE/NAME VERSION pairs installed into the mirror. `acme` stands for a provider no
# catalog knows (tests/fixtures/issue9/unknown_type).
readonly PROVIDERS=(
  "hashicorp/aws 5.99.0"
  "hashicorp/google 6.0.0"
  "hashicorp/azurerm 4.0.0"
  "hashicorp/random 3.6.0"
  "hashicorp/null 3.2.0"
  "hashicorp/tls 4.0.0"
  "azure/azapi 2.0.0"
  "hashicorp/acme 1.0.0"
)
readonly BIN_NAME="terraform-provider-mock"

log() { printf 'install-mock-provider: %s\n' "$*" >&2; }
die() {
  printf 'install-mock-provider: error: %s\n' "$*" >&2
  exit 1
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
src_dir="$repo_root/tests/mock-provider"
cache_dir="${TFSCOPE_CACHE:-$repo_root/.cache}"
cargo_cmd="${CARGO:-cargo}"

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64 | Linux/amd64) ;;
  *) die "only linux/amd64 is supported (the mirror layout says linux_amd64); this is $(uname -s)/$(uname -m)" ;;
esac

[ -f "$src_dir/Cargo.toml" ] || die "no mock provider sources at $src_dir (Cargo.toml missing)"
[ -f "$src_dir/Cargo.lock" ] || die "$src_dir/Cargo.lock is missing (the build is --locked)"

mkdir -p "$cache_dir" || die "cannot create cache directory $cache_dir"
cache_dir="$(cd "$cache_dir" && pwd)"
target_dir="$cache_dir/mock-provider-target"
install_dir="$cache_dir/mock-provider"
installed_bin="$install_dir/$BIN_NAME"
stamp_file="$install_dir/stamp"
mirror_dir="$cache_dir/mirror"
rc_file="$cache_dir/terraformrc"

mkdir -p "$install_dir" || die "cannot create $install_dir"

# Serialize concurrent runs (parallel test processes) on one cache.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$install_dir/lock" || die "cannot open lock file $install_dir/lock"
  flock 9 || die "cannot lock $install_dir/lock"
fi

# source_hash: sha256 over the path and content of every build input.
source_hash() {
  (
    cd "$src_dir" &&
      find . -path ./target -prune -o -type f \
        \( -name '*.rs' -o -name 'Cargo.toml' -o -name 'Cargo.lock' -o -name 'build.rs' \) -print |
      LC_ALL=C sort |
        while IFS= read -r f; do
          printf '%s\n' "$f"
          sha256sum <"$f"
        done
  ) | sha256sum | cut -d' ' -f1
}

mirror_path() { # NAMESPACE/NAME VERSION
  printf '%s/registry.terraform.io/%s/%s/linux_amd64/terraform-provider-%s_v%s' \
    "$mirror_dir" "$1" "$2" "${1#*/}" "$2"
}

rc_content() {
  cat <<EOF
# Written by scripts/install-mock-provider.sh: providers come from the local
# mirror of tfscope's mock provider, never from the network.
provider_installation {
  filesystem_mirror {
    path    = "$mirror_dir"
    include = ["registry.terraform.io/hashicorp/*", "registry.terraform.io/azure/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*", "registry.terraform.io/azure/*"]
  }
}
EOF
}

# up_to_date HASH: the stamp matches and every installed file is in place.
up_to_date() {
  local want="$1" entry name version p
  [ -x "$installed_bin" ] || return 1
  [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ] || return 1
  for entry in "${PROVIDERS[@]}"; do
    read -r name version <<<"$entry"
    p="$(mirror_path "$name" "$version")"
    [ -x "$p" ] && cmp -s "$p" "$installed_bin" || return 1
  done
  [ -f "$rc_file" ] && [ "$(cat "$rc_file")" = "$(rc_content)" ] || return 1
}

ensure_protoc() {
  if [ -n "${PROTOC:-}" ]; then
    [ -x "$PROTOC" ] || die "PROTOC=$PROTOC is not an executable file"
    return 0
  fi
  command -v protoc >/dev/null 2>&1 && return 0
  log "protoc not found; installing protobuf-compiler with apt-get"
  command -v apt-get >/dev/null 2>&1 ||
    die "protoc not found and apt-get is not available: install protoc (Debian/Ubuntu package protobuf-compiler) or set PROTOC"
  [ "$(id -u)" = 0 ] ||
    die "protoc not found and this is not root: run 'apt-get install -y protobuf-compiler' as root, or set PROTOC"
  local apt_log
  apt_log="$(mktemp "$install_dir/.apt.XXXXXX")"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y protobuf-compiler >"$apt_log" 2>&1; then
    log "apt-get install failed; running apt-get update and trying again"
    apt-get update >>"$apt_log" 2>&1 || {
      tail -n 20 "$apt_log" >&2
      die "apt-get update failed (log above)"
    }
    DEBIAN_FRONTEND=noninteractive apt-get install -y protobuf-compiler >>"$apt_log" 2>&1 || {
      tail -n 20 "$apt_log" >&2
      die "apt-get install -y protobuf-compiler failed (log above)"
    }
  fi
  rm -f "$apt_log"
  command -v protoc >/dev/null 2>&1 || die "protobuf-compiler installed but protoc is still not on PATH"
}

build() {
  command -v "$cargo_cmd" >/dev/null 2>&1 || die "cargo not found (set CARGO, or install Rust)"
  ensure_protoc
  log "building the mock provider (release) into $target_dir"
  # cargo's own output goes to stderr: stdout carries only the final line.
  "$cargo_cmd" build --release --locked \
    --manifest-path "$src_dir/Cargo.toml" --target-dir "$target_dir" >&2 ||
    die "cargo build of $src_dir failed (see above)"
  local built="$target_dir/release/$BIN_NAME"
  [ -x "$built" ] || die "cargo build succeeded but $built is missing"
  cp -f "$built" "$installed_bin.tmp" || die "cannot copy $built to $install_dir"
  mv -f "$installed_bin.tmp" "$installed_bin" || die "cannot install $installed_bin"
}

install_mirror() {
  local entry name version p
  for entry in "${PROVIDERS[@]}"; do
    read -r name version <<<"$entry"
    p="$(mirror_path "$name" "$version")"
    mkdir -p "$(dirname "$p")" || die "cannot create $(dirname "$p")"
    # Already a hard link of the installed binary: nothing to do (mv refuses same-file moves).
    [ "$p" -ef "$installed_bin" ] && continue
    rm -f "$p.tmp"
    # A hard link when the cache is one filesystem, a copy otherwise.
    ln -f "$installed_bin" "$p.tmp" 2>/dev/null || cp -f "$installed_bin" "$p.tmp" ||
      die "cannot install $p"
    mv -f "$p.tmp" "$p" || die "cannot install $p"
  done
}

write_rc() {
  rc_content >"$rc_file.tmp" || die "cannot write $rc_file.tmp"
  mv -f "$rc_file.tmp" "$rc_file" || die "cannot write $rc_file"
}

hash="$(source_hash)" || die "cannot hash the sources in $src_dir"
[ -n "$hash" ] || die "cannot hash the sources in $src_dir"

if up_to_date "$hash"; then
  log "mock provider is up to date ($installed_bin)"
else
  if [ -x "$installed_bin" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$hash" ]; then
    log "binary is current; reinstalling the mirror and CLI config"
  else
    build
  fi
  install_mirror
  write_rc
  printf '%s\n' "$hash" >"$stamp_file" || die "cannot write $stamp_file"
  up_to_date "$hash" || die "installation did not verify (binary, mirror or $rc_file)"
  log "installed the mock provider as: $(printf '%s ' "${PROVIDERS[@]%% *}")into $mirror_dir"
fi

printf 'TF_CLI_CONFIG_FILE=%s\n' "$rc_file"
