#!/bin/sh
# generate-targets.sh SCOPE [apply|destroy]
#
# Prints the Terraform -target flags for SCOPE (base, runtime, all, or any scope declared in
# tfscope.hcl), one per line, computed by `tfscope targets`. `apply` (the default) lists what
# brings SCOPE up; `destroy` lists what brings it down, which also takes every later scope.
#
# Environment:
#   ENV      environment whose environments/$ENV.tfvars supplies instance keys (default: dev)
#   DIR      root module directory (default: modules)
#   TFSCOPE  tfscope command (default: tfscope on PATH, else
#            `cargo run --quiet --release --manifest-path <repo>/Cargo.toml --`)
#
# Usage, from the repository root:
#
#   targets=$(scripts/generate-targets.sh runtime) &&
#     terraform -chdir=modules apply -var-file=../environments/dev.tfvars $targets
#
# Keep the `&&` (or `set -e`): with no resources to act on the script prints nothing and exits 1,
# and Terraform given no -target at all acts on EVERYTHING. For the short form, make sure that
# cannot happen: terraform -chdir=modules apply -var-file=../environments/dev.tfvars $(scripts/generate-targets.sh runtime)
#
# Addresses with instance keys come single-quoted (-target='module.svc["api"].aws_ecs_service.this'),
# which $(...) does not unquote. Pass such lists through xargs (-r: never run Terraform with no
# targets; -o: give Terraform the terminal back for its confirmation prompt) or eval:
#
#   ENV=prod scripts/generate-targets.sh runtime destroy |
#     xargs -r -o terraform -chdir=modules destroy -var-file=../environments/prod.tfvars
#   targets=$(ENV=prod scripts/generate-targets.sh runtime destroy) &&
#     eval "terraform -chdir=modules destroy -var-file=../environments/prod.tfvars $targets"
#
# Exit status: tfscope's (0 flags printed, 1 nothing to target, 2 usage or input error); 2 with
# a usage message for a missing or invalid argument.

set -eu

usage() {
    cat <<'EOF'
usage: generate-targets.sh SCOPE [apply|destroy]
  SCOPE    base, runtime, all, or a scope declared in tfscope.hcl
  apply    flags that bring SCOPE up (default)
  destroy  flags that bring SCOPE down (later scopes go with it)
environment: ENV (default dev), DIR (default modules), TFSCOPE (default tfscope, else cargo run)
EOF
}

case "${1:-}" in
-h | --help)
    usage
    exit 0
    ;;
esac
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    usage >&2
    exit 2
fi
scope=$1
case "$scope" in
'' | -*)
    printf 'generate-targets.sh: invalid scope: %s\n' "$scope" >&2
    usage >&2
    exit 2
    ;;
esac
case "${2:-apply}" in
apply) destroy= ;;
destroy) destroy=--destroy ;;
*)
    printf 'generate-targets.sh: invalid action: %s (apply or destroy)\n' "$2" >&2
    usage >&2
    exit 2
    ;;
esac

# The tfscope command line, as words. A TFSCOPE from the environment is split on spaces.
if [ -n "${TFSCOPE:-}" ]; then
    # shellcheck disable=SC2086
    set -- $TFSCOPE
elif command -v tfscope >/dev/null 2>&1; then
    set -- tfscope
else
    root=$(cd "$(dirname "$0")/.." && pwd)
    set -- cargo run --quiet --release --manifest-path "$root/Cargo.toml" --
fi

exec "$@" targets --scope "$scope" ${destroy:+"$destroy"} --env "${ENV:-dev}" "${DIR:-modules}"
