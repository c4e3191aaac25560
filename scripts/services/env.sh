# shellcheck shell=bash
# Environment for tests and services against the real backing services of scripts/services/up.sh.
#   source scripts/services/env.sh          # exports the variables into this shell
#   bash scripts/services/env.sh            # prints them as `export K=V` lines
#   eval "$(bash scripts/services/env.sh)"
BOXOFFICE_SERVICES_ENV=(
  "DATABASE_URL=postgres://boxoffice:boxoffice@127.0.0.1:5432/boxoffice"
  "TEST_DATABASE_URL=postgres://boxoffice:boxoffice@127.0.0.1:5432/boxoffice_test"
  "REDIS_URL=redis://127.0.0.1:6379"
  "REDIS_LOCK_URLS=redis://127.0.0.1:6379,redis://127.0.0.1:6380,redis://127.0.0.1:6381"
  "QUEUE_REDIS_URL=redis://127.0.0.1:6382"
  "SEARCH_URL=http://127.0.0.1:9200"
  "SEARCH_ENGINE=opensearch"
)
if [ "${BASH_SOURCE[0]}" = "${0}" ]; then
  for _kv in "${BOXOFFICE_SERVICES_ENV[@]}"; do printf 'export %s\n' "$_kv"; done
else
  for _kv in "${BOXOFFICE_SERVICES_ENV[@]}"; do export "${_kv?}"; done
fi
unset _kv BOXOFFICE_SERVICES_ENV
