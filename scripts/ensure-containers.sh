#!/usr/bin/env bash
# Idempotent: prepares what the end-to-end suite needs to build and run generated projects'
# images on a Debian machine with no Docker engine and no reachable container registry (issue 8).
#
#   host:    podman 4.3 + runc (crun refuses this host's hybrid cgroups), slirp4netns (containers
#            reach the host's 127.0.0.1 services), configured under $DIR/etc with limits the
#            host allows (nofile 20000; the defaults are refused)
#   toolbox: a Debian trixie root (debootstrap) with buildah 1.39, entered with chroot: bookworm's
#            buildah 1.28 rejects the Dockerfile's relative `RUN --mount=...,target=uv.lock`
#   images:  stand-ins for the base images the generated Dockerfile names, under those exact names,
#            in the toolbox's storage: the uv image (FROM scratch with the static /uv and /uvx of
#            that uv release, from its PyPI wheel) and python:<X.Y>-slim-trixie (a trixie root with
#            the official image's runtime libraries and this host's CPython X.Y under /usr/local)
#
# Everything lives under $TWELVE_CONTAINERS_DIR (default /var/cache/twelve-django/containers),
# outside the repository. A second run only checks stamps and mounts (about a second).
# The image names come from the generator's own core/versions.ts (built into lib/), never a list here.
#
# Usage (as root, after `npm run build`): scripts/ensure-containers.sh PYTHON_MINOR...   e.g. 3.11
# Prints KEY=VALUE lines on stdout (DIR, TOOLBOX, UV_IMAGE, PYTHON_IMAGE_<X_Y>); progress on stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${TWELVE_CONTAINERS_DIR:-/var/cache/twelve-django/containers}"
T="$DIR/toolbox"
export DEBIAN_FRONTEND=noninteractive
say() { printf 'ensure-containers: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
t0=$SECONDS
timed() { # label command...
  local s=$SECONDS
  "${@:2}"
  say "$1 took $((SECONDS - s)) s"
}

[[ $EUID -eq 0 ]] || die "must run as root (it installs packages, makes a chroot and mounts into it)"
(($#)) || die "usage: $0 PYTHON_MINOR... (e.g. 3.11)"
[[ -f "$root/lib/core/versions.js" ]] || die "no $root/lib/core/versions.js: run \`npm run build\` first"

mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9 # one setup at a time (two suites may start together)

# ------------------------------------------------------------------ image names, from the generator
names="$(cd "$root" && node --input-type=module -e '
  const { IMAGES } = await import("./lib/core/versions.js");
  console.log(IMAGES.uv);
  for (const v of process.argv.slice(1)) console.log(v + " " + IMAGES.python(v));
' "$@")"
UV_IMAGE="$(sed -n 1p <<<"$names")"
UV_VERSION="${UV_IMAGE##*:}"
[[ "$UV_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read a uv version from IMAGES.uv ($UV_IMAGE)"

# ------------------------------------------------------------------ host packages
HOST_PACKAGES=(podman runc uidmap slirp4netns debootstrap containernetworking-plugins golang-github-containernetworking-plugin-dnsname)
missing=()
for p in "${HOST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  timed "host packages" bash -c 'apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "$@" >/dev/null' _ "${missing[@]}"
fi

# Host podman's own configuration: runc, limits the host allows, storage under $DIR. Use it with
# CONTAINERS_CONF=$DIR/etc/containers.conf CONTAINERS_STORAGE_CONF=$DIR/etc/storage.conf podman ...
mkdir -p "$DIR/etc"
cat >"$DIR/etc/storage.conf.new" <<EOF
[storage]
driver = "overlay"
graphroot = "$DIR/host-storage"
runroot = "$DIR/host-run"
[storage.options]
# The host's podman runs the images the toolbox's buildah builds, read-only from its store (no copy).
additionalimagestores = ["$T/var/lib/containers/storage"]
EOF
cat >"$DIR/etc/containers.conf.new" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
for f in storage.conf containers.conf; do
  if cmp -s "$DIR/etc/$f.new" "$DIR/etc/$f"; then rm "$DIR/etc/$f.new"; else mv "$DIR/etc/$f.new" "$DIR/etc/$f"; fi
done

# ------------------------------------------------------------------ the trixie root and the toolbox
MIRROR="$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
if [[ ! -f "$DIR/trixie/.done" ]]; then
  rm -rf "$DIR/trixie"
  say "debootstrap trixie from $MIRROR"
  timed "debootstrap" debootstrap --variant=minbase trixie "$DIR/trixie" "$MIRROR" >"$DIR/debootstrap.log" 2>&1 ||
    die "debootstrap failed; see $DIR/debootstrap.log"
  touch "$DIR/trixie/.done"
fi

TOOLBOX_PACKAGES="buildah runc netavark fuse-overlayfs uidmap ca-certificates"
mounted() { mountpoint -q "$1"; }
umount_toolbox() {
  local m
  for m in "$T/dev/pts" "$T/dev" "$T/sys" "$T/proc" "$T"; do mounted "$m" && umount -l "$m"; done
  return 0
}
if [[ ! -f "$T/.done" || "$(cat "$T/.done")" != "$TOOLBOX_PACKAGES" ]]; then
  umount_toolbox
  rm -rf "$T"
  cp -a "$DIR/trixie" "$T"
  rm -f "$T/.done"
fi
# The toolbox's root must be a mount point of its own: buildah remounts / when it unpacks layers.
if ! mounted "$T"; then
  umount_toolbox
  mount --bind "$T" "$T"
fi
mounted "$T/proc" || mount -t proc proc "$T/proc"
if ! mounted "$T/sys"; then mount --rbind /sys "$T/sys" && mount --make-rslave "$T/sys"; fi
mounted "$T/dev" || mount --bind /dev "$T/dev"
mounted "$T/dev/pts" || mount --bind /dev/pts "$T/dev/pts"
cp /etc/resolv.conf "$T/etc/resolv.conf"
mkdir -p "$T/ctx" "$T/xfer" "$T/seed"
if [[ ! -f "$T/.done" ]]; then
  say "toolbox: apt-get install $TOOLBOX_PACKAGES"
  timed "toolbox packages" chroot "$T" sh -c "apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $TOOLBOX_PACKAGES >/dev/null"
  echo "$TOOLBOX_PACKAGES" >"$T/.done"
fi
# buildah's storage in the toolbox; limits the host allows for RUN steps
mkdir -p "$T/etc/containers"
printf '[storage]\ndriver = "overlay"\ngraphroot = "/var/lib/containers/storage"\nrunroot = "/run/containers/storage"\n' >"$T/etc/containers/storage.conf"
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n' >"$T/etc/containers/containers.conf"

# What runs inside the toolbox: a clean environment.
in_toolbox() { chroot "$T" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
image_exists() { in_toolbox buildah inspect --type image "$1" >/dev/null 2>&1; }
# A stand-in is rebuilt when what it is made from changes: its stamp records that.
stamp_ok() { [[ -f "$DIR/stamps/$1" && "$(cat "$DIR/stamps/$1")" == "$2" ]] && image_exists "$3"; }
mkdir -p "$DIR/stamps"

# ------------------------------------------------------------------ uv stand-in
uv_want="uv $UV_VERSION musllinux static binaries"
if ! stamp_ok uv "$uv_want" "$UV_IMAGE"; then
  say "building $UV_IMAGE"
  s=$SECONDS
  wheels="$DIR/wheels/uv-$UV_VERSION"
  if ! compgen -G "$wheels/uv-$UV_VERSION-*.whl" >/dev/null; then
    rm -rf "$wheels" && mkdir -p "$wheels"
    # The official image's /uv is the static musl build; the musllinux wheel ships the same binaries.
    python3.11 -m pip download --quiet --no-deps --only-binary=:all: --platform musllinux_1_1_x86_64 \
      --python-version 3.11 --dest "$wheels" "uv==$UV_VERSION" >&2
  fi
  rm -rf "$T/seed/uv" && mkdir -p "$T/seed/uv"
  python3.11 - "$wheels" "$T/seed/uv" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "uv-*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        base = os.path.basename(name)
        if ".data/scripts/" in name and base in ("uv", "uvx"):
            out = os.path.join(sys.argv[2], base)
            with open(out, "wb") as f:
                f.write(z.read(name))
            os.chmod(out, 0o755)
PY
  [[ -x "$T/seed/uv/uv" && -x "$T/seed/uv/uvx" ]] || die "no uv/uvx binaries in the uv $UV_VERSION wheel"
  in_toolbox sh -ec "
    c=\$(buildah from scratch)
    buildah copy \$c /seed/uv/uv /seed/uv/uvx / >/dev/null
    buildah config --entrypoint '[\"/uv\"]' --env PATH=/ \$c
    buildah commit --quiet --format docker --rm \$c $UV_IMAGE >/dev/null
  "
  echo "$uv_want" >"$DIR/stamps/uv"
  say "$UV_IMAGE built in $((SECONDS - s)) s"
fi

# ------------------------------------------------------------------ trixie base (for python stand-ins)
base_want="$(stat -c %Y "$DIR/trixie/.done")"
if ! stamp_ok trixie-base "$base_want" localhost/twelve-trixie-base:latest; then
  say "importing the trixie root as localhost/twelve-trixie-base"
  s=$SECONDS
  tar -C "$DIR/trixie" --exclude=./.done -cf "$T/seed/trixie.tar" .
  # shellcheck disable=SC2016 # expanded by the toolbox's shell
  in_toolbox sh -ec '
    c=$(buildah from scratch)
    buildah add $c /seed/trixie.tar / >/dev/null
    buildah config --cmd "[\"bash\"]" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin $c
    buildah commit --quiet --format docker --rm $c localhost/twelve-trixie-base:latest >/dev/null
  '
  rm -f "$T/seed/trixie.tar"
  echo "$base_want" >"$DIR/stamps/trixie-base"
  say "trixie base imported in $((SECONDS - s)) s"
fi

# ------------------------------------------------------------------ python stand-ins
# The runtime libraries the official python:*-slim-trixie image installs.
PY_RUNTIME="ca-certificates netbase tzdata libssl3t64 libffi8 libsqlite3-0 libbz2-1.0 liblzma5 zlib1g libreadline8t64 libncursesw6 libuuid1 libnsl2 libtirpc3t64 libexpat1 libgdbm6t64 libzstd1"
out=("DIR=$DIR" "TOOLBOX=$T" "UV_IMAGE=$UV_IMAGE")
while read -r minor image; do
  [[ -n "$minor" ]] || continue
  prefix="$(python"$minor" -c 'import sys; print(sys.base_prefix)' 2>/dev/null)" ||
    die "no Python $minor on this machine to put into the $image stand-in (python$minor not on PATH)"
  patch="$(python"$minor" -c 'import platform; print(platform.python_version())')"
  ca_sum="$(cat /usr/local/share/ca-certificates/*.crt /etc/ssl/certs/ca-certificates.crt 2>/dev/null | sha256sum | cut -c1-16)"
  want="python $patch from $prefix; libs: $PY_RUNTIME; ca $ca_sum; v2"
  full="docker.io/library/$image"
  if ! stamp_ok "python-$minor" "$want" "$full"; then
    say "building $full (CPython $patch from $prefix)"
    s=$SECONDS
    seed="$T/seed/python-$minor"
    rm -rf "$seed" && mkdir -p "$seed/usr/local/lib" "$seed/usr/local/bin" "$seed/usr/local/include" "$seed/ca"
    # CPython as the official image has it: no tests, no IDLE/tkinter, site-packages with pip only.
    lib="lib/python$minor"
    mapfile -t shared < <(cd "$prefix" && ls -d lib/libpython"$minor"*.so* lib/pkgconfig 2>/dev/null)
    tar -C "$prefix" -c --exclude="$lib/test" --exclude="$lib/idlelib" --exclude="$lib/tkinter" \
      --exclude="$lib/site-packages" --exclude='__pycache__' \
      "$lib" "include/python$minor" "${shared[@]}" |
      tar -C "$seed/usr/local" -x
    mkdir -p "$seed/usr/local/$lib/site-packages"
    (cd "$prefix/$lib/site-packages" && cp -a pip pip-*.dist-info "$seed/usr/local/$lib/site-packages/" 2>/dev/null) || true
    cp -a "$prefix/bin/python$minor" "$seed/usr/local/bin/"
    for l in python3 python; do ln -sf "python$minor" "$seed/usr/local/bin/$l"; done
    cp /usr/local/share/ca-certificates/*.crt "$seed/ca/" 2>/dev/null || true
    cat >"$seed/Containerfile" <<EOF
FROM localhost/twelve-trixie-base:latest
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \\
    LANG=C.UTF-8 \\
    PYTHON_VERSION=$patch
RUN apt-get update && apt-get install -y --no-install-recommends $PY_RUNTIME && rm -rf /var/lib/apt/lists/*
COPY usr/local /usr/local
# This machine reaches the package index through a TLS-inspecting egress: trust its CA (the
# official image needs nothing of the kind).
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null && ldconfig \\
    && python3 -c "import ssl, sqlite3, ctypes, lzma, bz2, zlib, readline, uuid, decimal, json, hashlib; print('python', __import__('sys').version.split()[0], 'ok')"
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
CMD ["python3"]
EOF
    in_toolbox buildah bud --quiet --isolation chroot --network host --pull=never --format docker \
      --ulimit nofile=20000:20000 --ulimit nproc=4096:4096 -t "$full" "/seed/python-$minor" >&2
    in_toolbox sh -c 'for i in 1 2 3 4 5; do buildah rmi --prune >/dev/null 2>&1 || break; done' || true
    rm -rf "$seed"
    echo "$want" >"$DIR/stamps/python-$minor"
    say "$full built in $((SECONDS - s)) s"
  fi
  out+=("PYTHON_IMAGE_${minor//./_}=$full")
done < <(sed -n '2,$p' <<<"$names")

say "ready in $((SECONDS - t0)) s ($DIR)"
printf '%s\n' "${out[@]}"
