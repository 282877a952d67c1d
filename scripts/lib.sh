# Shared by scripts/up, scripts/test and scripts/bench. Sourced, not run.
# shellcheck shell=bash

RECTIFY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian 12 packages the build, the tests and the suite need.
RECTIFY_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  golang-github-gogo-googleapis-dev libabsl-dev libssl-dev
  libmysqlcppconn-dev mariadb-server mariadb-client
  nlohmann-json3-dev prometheus-cpp-dev libspdlog-dev
  libxlsxwriter-dev libgtest-dev libgmock-dev libbenchmark-dev
)

log() { printf '\033[1m[rectify]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

install_missing_packages() {
  local missing=()
  for p in "${RECTIFY_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# build PRESET [targets...]
build() {
  local preset=$1; shift
  # Paths relative to the checkout in ccache's hashes: another clone of the project (CI's) reuses
  # what this one compiled.
  export CCACHE_BASEDIR="$RECTIFY_ROOT" CCACHE_NOHASHDIR=true
  cmake --preset "$preset" >/dev/null
  if (($#)); then
    cmake --build --preset "$preset" --target "$@"
  else
    cmake --build --preset "$preset"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

random_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# mariadb_socket DATADIR: where the server's Unix socket lives (under DATADIR unless that path is
# too long for a socket address).
mariadb_socket() {
  local sock="$1/mariadb.sock"
  if ((${#sock} > 100)); then
    sock="/tmp/rectify-$(printf '%s' "$1" | cksum | cut -d' ' -f1).sock"
  fi
  echo "$sock"
}

# start_mariadb DATADIR PORT: a private server on 127.0.0.1:PORT with everything under DATADIR.
# Sets MARIADB_PID and MARIADB_SOCKET. Creates the admin account rectify_admin with the password in
# DATADIR/../admin.password (written on first start).
start_mariadb() {
  local dir=$1 port=$2
  local secrets; secrets=$(dirname "$dir")
  mkdir -p "$dir"
  MARIADB_SOCKET=$(mariadb_socket "$dir")
  local user_args=()
  [ "$(id -u)" = 0 ] && user_args=(--user=root)
  if [ ! -d "$dir/data/mysql" ]; then
    mkdir -p "$dir/data"
    mariadb-install-db --no-defaults --datadir="$dir/data" "${user_args[@]}" \
      --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 \
      || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
  fi
  mariadbd --no-defaults --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1 \
    --socket="$MARIADB_SOCKET" --pid-file="$dir/mariadb.pid" "${user_args[@]}" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb_flush_log_at_trx_commit=1 --innodb-buffer-pool-size=512M \
    --max-connections=500 --skip-name-resolve --log-error="$dir/error.log" &
  MARIADB_PID=$!
  for _ in $(seq 1 120); do
    if mariadb-admin --no-defaults --socket="$MARIADB_SOCKET" -uroot ping >/dev/null 2>&1; then
      break
    fi
    kill -0 "$MARIADB_PID" 2>/dev/null || { tail -20 "$dir/error.log" >&2; die "mariadbd exited"; }
    sleep 0.25
  done
  mariadb-admin --no-defaults --socket="$MARIADB_SOCKET" -uroot ping >/dev/null 2>&1 \
    || die "mariadbd did not become ready"
  local pw_file="$secrets/admin.password"
  [ -s "$pw_file" ] || random_secret >"$pw_file"
  mariadb --no-defaults --socket="$MARIADB_SOCKET" -uroot <<SQL
CREATE USER IF NOT EXISTS 'rectify_admin'@'127.0.0.1' IDENTIFIED BY '$(cat "$pw_file")';
ALTER USER 'rectify_admin'@'127.0.0.1' IDENTIFIED BY '$(cat "$pw_file")';
GRANT ALL PRIVILEGES ON *.* TO 'rectify_admin'@'127.0.0.1' WITH GRANT OPTION;
SQL
}

stop_mariadb() {
  local dir=$1 sock
  sock=$(mariadb_socket "$dir")
  [ -S "$sock" ] && mariadb-admin --no-defaults --socket="$sock" -uroot shutdown >/dev/null 2>&1
  [ -n "${MARIADB_PID:-}" ] && wait "$MARIADB_PID" 2>/dev/null
  return 0
}

# wait_for_health ADDR PID NAME RECTCTL: polls the gRPC health service until SERVING.
wait_for_health() {
  local addr=$1 pid=$2 name=$3 bin=$4
  for _ in $(seq 1 240); do
    "$bin" health --addr="$addr" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up (see its log)"
    sleep 0.25
  done
  die "$name did not become healthy on $addr"
}
