#!/usr/bin/env bash
# Idempotent: installs what is missing and starts what is not running, for the
# end-to-end suite (test/e2e), on a fresh Debian machine of this kind, as root.
#   PostgreSQL 127.0.0.1:5432 (trust)   MariaDB 127.0.0.1:3306 (root, no password)
#   Redis 127.0.0.1:6379                RabbitMQ 127.0.0.1:5672 (guest/guest)
#   memcached 127.0.0.1:11211           MySQL client headers, pkg-config, compilers
#   uv (pinned)                         a non-root user for real `yo` runs
# Prints one line per service; exits non-zero if any of them is not up.
set -uo pipefail

UV_VERSION="0.13.9"
E2E_USER="${E2E_USER:-twelve-e2e}"
export DEBIAN_FRONTEND=noninteractive

failures=0
ok()   { printf 'ensure-services: %-14s ok   %s\n' "$1" "$2"; }
fail() { printf 'ensure-services: %-14s FAIL %s\n' "$1" "$2"; failures=$((failures + 1)); }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port seconds
  local i
  for ((i = 0; i < $2 * 4; i++)); do
    port_open "$1" && return 0
    sleep 0.25
  done
  return 1
}

if [[ $EUID -ne 0 ]]; then
  echo "ensure-services: must run as root (it installs packages and starts services)" >&2
  exit 2
fi

apt_updated=0
apt_install() { # packages...
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  if ((apt_updated == 0)); then
    apt-get update -qq >/dev/null 2>&1 || echo "ensure-services: apt-get update failed" >&2
    apt_updated=1
  fi
  echo "ensure-services: apt-get install ${missing[*]}" >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- packages ---------------------------------------------------------------
if apt_install default-libmysqlclient-dev pkg-config build-essential; then
  ok build-deps "$(pkg-config --modversion mysqlclient 2>/dev/null || pkg-config --modversion libmariadb 2>/dev/null || echo '?') (mysqlclient headers)"
else
  fail build-deps "apt-get install default-libmysqlclient-dev pkg-config build-essential failed"
fi

# --- PostgreSQL -------------------------------------------------------------
if ! port_open 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start >/dev/null 2>&1
fi
if wait_port 5432 30 && psql -h 127.0.0.1 -U postgres -Atc 'select 1' >/dev/null 2>&1; then
  ok postgresql "127.0.0.1:5432 $(psql -h 127.0.0.1 -U postgres -Atc 'show server_version')"
else
  fail postgresql "not answering on 127.0.0.1:5432 as postgres (trust auth)"
fi

# --- MariaDB ----------------------------------------------------------------
if ! port_open 3306; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >/dev/null 2>&1
fi
if wait_port 3306 60 && mariadb -h 127.0.0.1 -P 3306 -u root -e 'select 1' >/dev/null 2>&1; then
  ok mariadb "127.0.0.1:3306 $(mariadb -h 127.0.0.1 -u root -N -e 'select version()')"
else
  fail mariadb "not answering on 127.0.0.1:3306 as root without password"
fi

# --- Redis ------------------------------------------------------------------
if ! port_open 6379; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1
fi
if wait_port 6379 30 && [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == PONG ]]; then
  ok redis "127.0.0.1:6379 $(redis-cli -h 127.0.0.1 info server | sed -n 's/^redis_version:\(.*\)\r$/\1/p')"
else
  fail redis "not answering PING on 127.0.0.1:6379"
fi

# --- RabbitMQ ---------------------------------------------------------------
if ! port_open 5672; then
  rabbitmq-server -detached >/dev/null 2>&1
fi
if wait_port 5672 120; then
  ok rabbitmq "127.0.0.1:5672 (guest/guest)"
else
  fail rabbitmq "not answering on 127.0.0.1:5672"
fi

# --- memcached --------------------------------------------------------------
if ! command -v memcached >/dev/null 2>&1; then
  apt_install memcached || true
fi
if ! port_open 11211 && command -v memcached >/dev/null 2>&1; then
  memcached -d -u memcache -l 127.0.0.1 -p 11211 -m 64 >/dev/null 2>&1 \
    || memcached -d -u nobody -l 127.0.0.1 -p 11211 -m 64 >/dev/null 2>&1
fi
if wait_port 11211 20; then
  ok memcached "127.0.0.1:11211 $(memcached -V 2>/dev/null)"
else
  fail memcached "not answering on 127.0.0.1:11211 (apt-get install memcached)"
fi

# --- uv ---------------------------------------------------------------------
if [[ "$(uv --version 2>/dev/null)" != "uv $UV_VERSION"* ]]; then
  echo "ensure-services: pip install uv==$UV_VERSION" >&2
  python3 -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" >/dev/null 2>&1
  command -v pyenv >/dev/null 2>&1 && pyenv rehash >/dev/null 2>&1
  hash -r
fi
if [[ "$(uv --version 2>/dev/null)" == "uv $UV_VERSION"* ]]; then
  ok uv "$(command -v uv) $(uv --version)"
else
  fail uv "uv $UV_VERSION not on PATH (python3 -m pip install uv==$UV_VERSION)"
fi
if py311="$(UV_PYTHON_DOWNLOADS=never uv python find 3.11 2>/dev/null)"; then
  ok python3.11 "$py311"
else
  fail python3.11 "uv finds no Python 3.11 interpreter"
fi

# --- non-root user for `yo` -------------------------------------------------
if ! id -u "$E2E_USER" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash "$E2E_USER" >/dev/null 2>&1
fi
if id -u "$E2E_USER" >/dev/null 2>&1 && [[ "$(id -u "$E2E_USER")" != 0 ]]; then
  ok user "$E2E_USER (uid $(id -u "$E2E_USER"), home $(getent passwd "$E2E_USER" | cut -d: -f6))"
else
  fail user "could not create non-root user $E2E_USER"
fi

if ((failures)); then
  echo "ensure-services: $failures service(s) not available" >&2
  exit 1
fi
