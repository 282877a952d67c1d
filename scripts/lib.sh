# Shared by scripts/up, scripts/test and scripts/bench. Sourced, not run.
# shellcheck shell=bash

RECTIFY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian 12 packages the build, the tests and the suite need.
RECTIFY_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  golang-github-gogo-googleapis-dev libabsl-dev libssl-dev
  libmysqlcppconn-dev mariadb-server mariadb-client
  nlohmann-json3-dev prometheus-cpp-dev libspdlog-dev jq curl libboost-dev
  libxlsxwriter-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3-jsonschema python3-yaml nodejs chromium fonts-wqy-microhei
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
# build_portal BUILD_DIR: the portal in gateway/web: its packages from the lockfile (npm ci), its
# API types from the OpenAPI document of the gateway in BUILD_DIR, and its built files in
# gateway/web/dist, which the gateway serves (--web_root).
build_portal() {
  local build web="$RECTIFY_ROOT/gateway/web"
  build=$(cd "$1" && pwd)
  command -v npm >/dev/null || die "npm is missing: it comes with Node.js (Debian's nodejs)"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  "$build/gateway/gateway" --print_openapi >"$build/openapi.json"
  (cd "$web" && RECTIFY_OPENAPI="$build/openapi.json" npm run -s api-types >/dev/null &&
    npx vite build --logLevel warn)
}

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

# free_port [VAR]: a port nothing listens on, below Linux's ephemeral range (ip_local_port_range) so that
# no outgoing connection of a concurrent test takes it before the server binds it. With VAR, it is
# assigned to VAR and never handed out again by this shell (several in a row stay distinct);
# without, it is printed.
FREE_PORTS_GIVEN=" "
free_port() {
  local p ephemeral_low
  ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  ((ephemeral_low > 21000)) || ephemeral_low=32768
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % (ephemeral_low - 20000)))
    [[ $FREE_PORTS_GIVEN == *" $p "* ]] && continue
    port_in_use "$p" && continue
    if (($#)); then
      FREE_PORTS_GIVEN+="$p "
      printf -v "$1" '%s' "$p"
    else
      echo "$p"
    fi
    return 0
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

# wait_for_ready URL PID NAME: polls an HTTP readiness endpoint until it answers 200.
wait_for_ready() {
  local url=$1 pid=$2 name=$3
  for _ in $(seq 1 240); do
    curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up (see its log)"
    sleep 0.25
  done
  die "$name did not become ready at $url"
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

# ---- The suite, as scripts/up runs it and the end-to-end tests check it -------------------------

SUITE_ACCOUNTS=(issue_svc supervision_svc accountability_svc)

# suite_secrets STATE: the development signing key and a password for each account, kept in STATE
# (created once; a later run reuses them).
suite_secrets() {
  local state=$1 account
  # Readable by the owner only, whatever the caller's umask.
  (
    umask 077
    [ -s "$state/jwt.key" ] || echo "rectify-dev-$(random_secret)" >"$state/jwt.key"
    for account in "${SUITE_ACCOUNTS[@]}"; do
      [ -s "$state/$account.password" ] || random_secret >"$state/$account.password"
      [ -s "$state/${account}_migrate.password" ] ||
        random_secret >"$state/${account}_migrate.password"
    done
  )
}

# start_suite BIN STATE: provisions each service's schema with its DML-only and migration accounts
# on the MariaDB at 127.0.0.1:SUITE_DB_PORT (its admin password in STATE/admin.password; schema and
# account names prefixed with SUITE_PREFIX, empty for scripts/up), starts issue-, accountability-
# and supervision-service on SUITE_ISSUE_PORT, SUITE_ACC_PORT and SUITE_SUP_PORT (metrics on
# SUITE_*_METRICS_PORT; each log in STATE/logs), the gateway on SUITE_GATEWAY_PORT in front of
# them, and waits until each is healthy. The services
# reach the database through MARIADB_SOCKET when set, else over TCP. Appends their PIDs to the
# caller's array `pids`.
start_suite() {
  local bin=$1 state=$2 prefix=${SUITE_PREFIX:-}
  local db=(--mysql_host=127.0.0.1 "--mysql_port=$SUITE_DB_PORT")
  [ -n "${MARIADB_SOCKET:-}" ] && db=("--mysql_socket=$MARIADB_SOCKET")
  mkdir -p "$state/logs"
  suite_secrets "$state"
  local schema account
  for pair in issue_registry:issue_svc supervision:supervision_svc \
    accountability:accountability_svc; do
    schema=${pair%%:*} account=${pair#*:}
    "$bin/cli/rectify-dbadmin" provision --admin_port="$SUITE_DB_PORT" \
      --admin_password="@$state/admin.password" --database="$prefix$schema" \
      --service_user="$prefix$account" --service_password="@$state/$account.password" \
      --migrate_user="$prefix${account}_migrate" \
      --migrate_password="@$state/${account}_migrate.password" >/dev/null
  done
  # suite_service NAME PORT METRICS_PORT SCHEMA ACCOUNT [flags...]
  suite_service() {
    local name=$1 port=$2 metrics=$3 schema=$4 account=$5
    shift 5
    log "starting $name on 127.0.0.1:$port"
    "$bin/$name/$name" --listen="127.0.0.1:$port" --metrics_listen="127.0.0.1:$metrics" "${db[@]}" \
      --mysql_database="$prefix$schema" --mysql_user="$prefix$account" \
      --mysql_password="@$state/$account.password" --migrate_user="$prefix${account}_migrate" \
      --migrate_password="@$state/${account}_migrate.password" --jwt_secret="@$state/jwt.key" \
      "$@" >>"$state/logs/$name.log" 2>&1 &
    pids+=($!)
    wait_for_health "127.0.0.1:$port" "${pids[-1]}" "$name" "$bin/cli/rectctl"
  }
  suite_service issue-service "$SUITE_ISSUE_PORT" "$SUITE_ISSUE_METRICS_PORT" issue_registry \
    issue_svc
  suite_service accountability-service "$SUITE_ACC_PORT" "$SUITE_ACC_METRICS_PORT" \
    accountability accountability_svc --issue_service="127.0.0.1:$SUITE_ISSUE_PORT"
  suite_service supervision-service "$SUITE_SUP_PORT" "$SUITE_SUP_METRICS_PORT" supervision \
    supervision_svc --issue_service="127.0.0.1:$SUITE_ISSUE_PORT" \
    --accountability_service="127.0.0.1:$SUITE_ACC_PORT"
  # The public portal's token (the public role, a year long), forwarded by the gateway for
  # requests that come without one.
  [ -s "$state/public.token" ] || (umask 077 && "$bin/cli/rectctl" token --role=public \
    --sub=public-portal --ttl_hours=8760 --dev_key="@$state/jwt.key" >"$state/public.token")
  log "starting the gateway on 127.0.0.1:$SUITE_GATEWAY_PORT"
  "$bin/gateway/gateway" --listen="127.0.0.1:$SUITE_GATEWAY_PORT" \
    --public_token="@$state/public.token" --dev_signing_key="@$state/jwt.key" \
    ${SUITE_WEB_ROOT:+--web_root="$SUITE_WEB_ROOT"} \
    --issue_service="127.0.0.1:$SUITE_ISSUE_PORT" \
    --supervision_service="127.0.0.1:$SUITE_SUP_PORT" \
    --accountability_service="127.0.0.1:$SUITE_ACC_PORT" >>"$state/logs/gateway.log" 2>&1 &
  pids+=($!)
  wait_for_ready "http://127.0.0.1:$SUITE_GATEWAY_PORT/readyz" "${pids[-1]}" gateway
}

# load_demo BIN STATE: the demonstration data, through the running services.
load_demo() {
  "$1/cli/rectify-demo" --addr="127.0.0.1:$SUITE_ISSUE_PORT" \
    --accountability_addr="127.0.0.1:$SUITE_ACC_PORT" \
    --supervision_addr="127.0.0.1:$SUITE_SUP_PORT" --dev_key="@$2/jwt.key"
}
