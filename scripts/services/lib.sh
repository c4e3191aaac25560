# shellcheck shell=bash
# Shared functions for scripts/services/*.sh and scripts/search-engine/*.sh.
# Source it; it does not change shell options of the caller.
#
# State lives under $REPO/.services/ (logs, pid files, redis dirs, search engine data and jars,
# and the list of what up.sh started), except PostgreSQL, which is Debian's own cluster (see
# docs/services.md for why).

BOX_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="${REPO:-$(cd "$BOX_LIB_DIR/../.." && pwd)}"
SERVICES_DIR="${SERVICES_DIR:-$REPO/.services}"

# ---- fixed endpoints (env.sh publishes the same values) ----
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=boxoffice
PG_PASSWORD=boxoffice
PG_DATABASES=(boxoffice boxoffice_test)
PG_CLUSTER=main
# BOXOFFICE_REDIS_PORTS="P1 P2 P3" moves the lock nodes (tests of these scripts use free ports so
# as not to touch the shared nodes); env.sh still publishes the default ports.
read -r -a REDIS_PORTS <<<"${BOXOFFICE_REDIS_PORTS:-6379 6380 6381}"
# The queue service's own Redis primary (not a lock node): its places must survive restarts, so
# it keeps an append-only file. BOXOFFICE_QUEUE_REDIS_PORT moves it like the lock nodes.
QUEUE_REDIS_PORT="${BOXOFFICE_QUEUE_REDIS_PORT:-6382}"
SEARCH_HOST=127.0.0.1
SEARCH_PORT=9200
SEARCH_TRANSPORT_PORT=9300
SEARCH_ENGINE_NAME=opensearch
SEARCH_CLUSTER_NAME=boxoffice

# ---- messages ----
_box_ts() { date +%H:%M:%S; }
log()  { printf '[services %s] %s\n' "$(_box_ts)" "$*"; }
warn() { printf '[services %s] WARNING: %s\n' "$(_box_ts)" "$*" >&2; }

# die MESSAGE [LOGFILE...]: print the message and the tail of each log file, exit 1.
die() {
  local msg="$1"; shift || true
  printf '[services %s] ERROR: %s\n' "$(_box_ts)" "$msg" >&2
  local f
  for f in "$@"; do
    if [ -f "$f" ]; then
      printf -- '----- last 40 lines of %s -----\n' "$f" >&2
      tail -n 40 "$f" >&2 || true
      printf -- '----- end of %s -----\n' "$f" >&2
    else
      printf -- '(no log file %s)\n' "$f" >&2
    fi
  done
  exit 1
}

now_s() { date +%s; }

# wait_until TIMEOUT_SECONDS DESCRIPTION COMMAND...: poll COMMAND every 0.5 s until it succeeds.
wait_until() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$(( $(now_s) + timeout ))
  while ! "$@" >/dev/null 2>&1; do
    if [ "$(now_s)" -ge "$deadline" ]; then
      warn "timed out after ${timeout}s waiting for: $what"
      return 1
    fi
    sleep 0.5
  done
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# proc_alive PID: the process exists and is not a zombie (an exited daemon stays a zombie until
# PID 1 reaps it, and kill -0 still succeeds on a zombie).
proc_alive() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# pid_alive PIDFILE: the pid in PIDFILE is a live process.
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid="$(cat "$1" 2>/dev/null)" || return 1
  proc_alive "$pid"
}

# stop_pidfile PIDFILE TIMEOUT NAME: TERM the process, wait, then KILL; remove the pid file.
stop_pidfile() {
  local pidfile="$1" timeout="$2" name="$3" pid
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(now_s) + timeout ))
  while proc_alive "$pid"; do
    if [ "$(now_s)" -ge "$deadline" ]; then
      warn "$name (pid $pid) did not stop within ${timeout}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
  done
  rm -f "$pidfile"
  log "stopped $name (pid $pid)"
}

# ---- what up.sh started ----
# One line per server these scripts started ("pg 15/main", "redis 6380", "search"), so that
# down.sh stops only those and never a server that was already running when up.sh came (the
# machine's own PostgreSQL, another developer's Redis). Lines are added as servers start and
# removed as they stop, so a second up.sh that finds everything running records nothing and
# loses nothing.
STARTED_FILE="$SERVICES_DIR/started"

started_record() {
  mkdir -p "$SERVICES_DIR"
  grep -qxF "$1" "$STARTED_FILE" 2>/dev/null || echo "$1" >> "$STARTED_FILE"
}

started_has() { grep -qxF "$1" "$STARTED_FILE" 2>/dev/null; }

started_forget() {
  [ -f "$STARTED_FILE" ] || return 0
  grep -vxF "$1" "$STARTED_FILE" > "$STARTED_FILE.tmp" || true
  mv "$STARTED_FILE.tmp" "$STARTED_FILE"
}

# started_entries PREFIX: the recorded entries of one kind, without the prefix ("pg" -> 15/main).
started_entries() {
  [ -f "$STARTED_FILE" ] || return 0
  sed -n "s/^$1 //p" "$STARTED_FILE"
}

# ---- Debian packages ----
_BOX_APT_UPDATED=0

pkg_installed() {
  local st
  st="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" || return 1
  [[ "$st" == *"install ok installed"* ]]
}

# apt_install PKG...: install the packages that are missing (apt-get update once per run).
apt_install() {
  local missing=() p
  for p in "$@"; do
    pkg_installed "$p" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "Debian packages missing (${missing[*]}) and not running as root to install them"
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ "$_BOX_APT_UPDATED" -eq 0 ]; then
    log "apt-get update (output in $SERVICES_DIR/apt.log)"
    mkdir -p "$SERVICES_DIR"
    apt-get update -qq </dev/null >>"$SERVICES_DIR/apt.log" 2>&1 || die "apt-get update failed" "$SERVICES_DIR/apt.log"
    _BOX_APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  local t0; t0="$(date +%s)"
  apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" </dev/null >>"$SERVICES_DIR/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed" "$SERVICES_DIR/apt.log"
  log "installed ${missing[*]} in $(( $(date +%s) - t0 ))s"
}

# ---- PostgreSQL helpers ----
# pg_major: the newest PostgreSQL server major installed (e.g. 15).
pg_major() {
  { ls /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -1; } || true
}

# pg_super SQL [DB]: run SQL as the postgres superuser over the local socket.
pg_super() {
  local sql="$1" db="${2:-postgres}"
  (cd / && PGOPTIONS="-c client_min_messages=warning" runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d "$db" -tAc "$sql")
}

# pg_app SQL [DB]: run SQL as boxoffice over TCP.
pg_app() {
  local sql="$1" db="${2:-boxoffice}"
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=3 PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 \
    -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -tAc "$sql"
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; }

# ---- Redis helpers ----
redis_dir()     { echo "$SERVICES_DIR/redis/$1"; }
redis_pidfile() { echo "$SERVICES_DIR/redis/$1/redis.pid"; }
redis_logfile() { echo "$SERVICES_DIR/redis/$1/redis.log"; }
redis_ping()    { [ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]; }

valid_redis_port() {
  local p
  for p in "${REDIS_PORTS[@]}"; do [ "$p" = "$1" ] && return 0; done
  return 1
}

# redis_start PORT [aof]: start one independent master on 127.0.0.1:PORT; non-persistent unless
# "aof" asks for an append-only file (the queue's primary).
redis_start() {
  local port="$1" persistence="${2:-}" dir pidfile logfile appendonly=no
  dir="$(redis_dir "$port")"; pidfile="$(redis_pidfile "$port")"; logfile="$(redis_logfile "$port")"
  if redis_ping "$port"; then
    if pid_alive "$pidfile"; then
      log "redis $port: already running (pid $(cat "$pidfile"))"
    else
      warn "redis $port: a server not started by these scripts answers on this port; using it"
    fi
    return 0
  fi
  if port_open "$port"; then
    die "port $port is taken by something that is not Redis"
  fi
  mkdir -p "$dir"
  rm -f "$pidfile"
  [ "$persistence" = "aof" ] && appendonly=yes
  redis-server --bind 127.0.0.1 --port "$port" --daemonize yes \
    --save "" --appendonly "$appendonly" --dir "$dir" \
    --pidfile "$pidfile" --logfile "$logfile" \
    --protected-mode yes </dev/null >/dev/null 2>&1 \
    || die "redis $port: redis-server failed to start" "$logfile"
  wait_until 15 "redis on port $port" redis_ping "$port" \
    || die "redis $port: not answering PING" "$logfile"
  # wait for the pid file so that stop works right away
  wait_until 5 "redis $port pid file" test -s "$pidfile" || true
  started_record "redis $port"
  log "redis $port: started (pid $(cat "$pidfile" 2>/dev/null || echo '?'))"
}

# redis_stop PORT: stop the server on PORT (ours by pid file, else SHUTDOWN NOSAVE), whoever
# started it: redis-node.sh uses it when asked for that port. down.sh stops only its own.
redis_stop() {
  local port="$1" pidfile
  pidfile="$(redis_pidfile "$port")"
  started_forget "redis $port"
  if pid_alive "$pidfile"; then
    stop_pidfile "$pidfile" 15 "redis $port"
  elif redis_ping "$port"; then
    timeout 5 redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    wait_until 10 "redis $port to stop" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null" || true
    log "stopped redis $port (not started by these scripts)"
  else
    rm -f "$pidfile"
  fi
}

# ---- search engine helpers ----
SEARCH_DIR="$SERVICES_DIR/search-engine"
SEARCH_LIB_DIR="$SEARCH_DIR/lib"
SEARCH_BASE_DIR="$SEARCH_DIR/node"
SEARCH_PIDFILE="$SEARCH_DIR/search.pid"
SEARCH_LOGFILE="$SEARCH_DIR/search.log"

search_url() { echo "http://$SEARCH_HOST:$SEARCH_PORT"; }

# search_healthy: cluster health is yellow or green.
search_healthy() {
  local body
  body="$(curl -fsS --max-time 3 "$(search_url)/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null)" || return 1
  [[ "$body" =~ \"status\":\"(green|yellow)\" ]]
}
