#!/usr/bin/env bash
# Builds a generated project's image with the toolbox's buildah (see ensure-containers.sh); the
# host's podman runs it straight from the toolbox's store (an additional image store). One toolbox
# operation at a time (a lock), so a clean-up never removes what a concurrent build still needs.
#
#   container-image.sh build CONTEXT TAG    the Dockerfile in CONTEXT, unmodified, as TAG (toolbox)
#   container-image.sh remove TAG           TAG and its now unused build layers (stop its containers first)
#
# Builds keep their layers (a rebuild of an unchanged project is warm) and the uv download cache
# (a cache mount, kept in the toolbox); `remove` drops the layers, so disk does not grow run after run.
set -euo pipefail
DIR="${TWELVE_CONTAINERS_DIR:-/var/cache/twelve-django/containers}"
T="$DIR/toolbox"
say() { printf 'container-image: %s\n' "$*" >&2; }
[[ -f "$T/.done" ]] || { say "no toolbox in $T: run scripts/ensure-containers.sh first"; exit 1; }
in_toolbox() { chroot "$T" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

exec 8>"$DIR/.toolbox.lock"
start=$SECONDS
flock 8
waited=$((SECONDS - start)) start=$SECONDS

case "${1:-}" in
  build)
    context="$(cd "${2:?context directory}" && pwd)" tag="${3:?tag}"
    id="$(basename "$context")-$$"
    mkdir -p "$T/ctx/$id"
    mount --bind "$context" "$T/ctx/$id"
    trap 'umount "$T/ctx/$id" && rmdir "$T/ctx/$id"' EXIT
    # buildah is not BuildKit: `# syntax=` is ignored; --format docker keeps HEALTHCHECK (OCI drops it).
    in_toolbox buildah build --layers --isolation chroot --network host --pull=never --format docker \
      --ulimit nofile=20000:20000 --ulimit nproc=4096:4096 --tag "$tag" "/ctx/$id"
    say "built $tag in $((SECONDS - start)) s after waiting $waited s for the toolbox"
    ;;
  remove)
    tag="${2:?tag}"
    in_toolbox buildah rmi --force "$tag" >/dev/null 2>&1 || true
    # intermediate layers become dangling one level at a time
    for _ in $(seq 1 30); do
      [[ -n "$(in_toolbox buildah images --quiet --filter dangling=true 2>/dev/null)" ]] || break
      in_toolbox buildah rmi --prune >/dev/null 2>&1 || break
    done
    ;;
  *)
    say "usage: $0 build CONTEXT TAG | remove TAG"
    exit 2
    ;;
esac
