#!/usr/bin/env bash
# Prove, against the running engine, the features the search adapter relies on:
# a custom analyzer with edge_ngram (module analysis-common), text/keyword/date/geo_point fields,
# match with fuzziness AUTO, a geo_distance filter, a date range and an atomic alias swap.
# Uses its own throw-away indices (boxoffice_verify_*) and deletes them afterwards.
# Usage: scripts/search-engine/verify.sh [URL]   (default http://127.0.0.1:9200)
set -euo pipefail
URL="${1:-${SEARCH_URL:-http://127.0.0.1:9200}}"
P=boxoffice_verify
fail() { echo "verify: FAILED: $*" >&2; exit 1; }
req() { # METHOD PATH [BODY]
  local out
  if [ $# -ge 3 ]; then
    out="$(curl -sS --max-time 20 -X "$1" "$URL$2" -H 'Content-Type: application/json' -d "$3")"
  else
    out="$(curl -sS --max-time 20 -X "$1" "$URL$2")"
  fi
  printf '%s' "$out"
}
expect() { # DESCRIPTION RESPONSE REGEX
  if grep -Eq -- "$3" <<<"$2"; then echo "verify: ok   $1"; else fail "$1: expected /$3/ in: $2"; fi
}
hits() { printf '%s' "$1" | grep -oE '"hits":\{"total":\{"value":[0-9]+' | grep -oE '[0-9]+$'; }
ids() { printf '%s' "$1" | grep -oE '"_id":"[^"]+"' | cut -d'"' -f4 | sort | tr '\n' ' '; }

cleanup() { curl -sS --max-time 10 -X DELETE "$URL/${P}_v1,${P}_v2?ignore_unavailable=true" >/dev/null 2>&1 || true; }
cleanup
trap cleanup EXIT

info="$(req GET /)"
expect "engine answers" "$info" '"number"'
echo "verify: engine $(printf '%s' "$info" | grep -oE '"(distribution|number)" *: *"[^"]+"' | tr '\n' ' ')"

INDEX_BODY='{
  "settings": {
    "number_of_shards": 1, "number_of_replicas": 0,
    "analysis": {
      "filter": { "autocomplete_filter": { "type": "edge_ngram", "min_gram": 2, "max_gram": 20 } },
      "analyzer": {
        "autocomplete": { "type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding", "autocomplete_filter"] }
      }
    }
  },
  "mappings": {
    "properties": {
      "name":      { "type": "text", "analyzer": "autocomplete", "search_analyzer": "standard",
                     "fields": { "plain": { "type": "text", "analyzer": "standard" } } },
      "city":      { "type": "keyword" },
      "type":      { "type": "keyword" },
      "starts_at": { "type": "date" },
      "location":  { "type": "geo_point" }
    }
  }
}'
r="$(req PUT "/${P}_v1" "$INDEX_BODY")"; expect "create index with edge_ngram analyzer + geo_point/keyword/date mapping" "$r" '"acknowledged":true'
r="$(req POST "/${P}_v1/_analyze" '{"analyzer":"autocomplete","text":"Taylor"}')"
expect "edge_ngram analyzer produces prefixes" "$r" '"token":"ta".*"token":"tay".*"token":"taylor"'
r="$(req PUT "/${P}_v1/_doc/1" '{"name":"Taylor Swift Eras Tour","city":"Chicago","type":"CONCERT","starts_at":"2026-07-01T19:30:00Z","location":{"lat":41.8623,"lon":-87.6167}}')"
expect "index doc 1" "$r" '"result":"created"'
r="$(req PUT "/${P}_v1/_doc/2?refresh=true" '{"name":"Chicago Bulls vs Lakers","city":"Los Angeles","type":"SPORTS","starts_at":"2026-08-15T02:00:00Z","location":{"lat":34.0430,"lon":-118.2673}}')"
expect "index doc 2 (refresh)" "$r" '"result":"created"'

r="$(req POST "/${P}_v1/_search" '{"query":{"match":{"name":"tayl"}}}')"
[ "$(hits "$r")" = 1 ] && [ "$(ids "$r")" = "1 " ] || fail "prefix match 'tayl': $r"; echo "verify: ok   prefix (type-ahead) match 'tayl' -> doc 1"
r="$(req POST "/${P}_v1/_search" '{"query":{"match":{"name.plain":{"query":"tayler swfit","fuzziness":"AUTO","operator":"and"}}}}')"
[ "$(hits "$r")" = 1 ] && [ "$(ids "$r")" = "1 " ] || fail "fuzzy match: $r"; echo "verify: ok   match fuzziness AUTO 'tayler swfit' -> doc 1"
r="$(req POST "/${P}_v1/_search" '{"query":{"bool":{"filter":[{"geo_distance":{"distance":"50km","location":{"lat":41.88,"lon":-87.63}}}]}}}')"
[ "$(hits "$r")" = 1 ] && [ "$(ids "$r")" = "1 " ] || fail "geo_distance: $r"; echo "verify: ok   geo_distance 50km around Chicago -> doc 1"
r="$(req POST "/${P}_v1/_search" '{"query":{"bool":{"filter":[{"term":{"type":"SPORTS"}},{"range":{"starts_at":{"gte":"2026-08-01","lt":"2026-09-01"}}}]}}}')"
[ "$(hits "$r")" = 1 ] && [ "$(ids "$r")" = "2 " ] || fail "keyword term + date range: $r"; echo "verify: ok   keyword term + date range -> doc 2"

r="$(req POST /_aliases "{\"actions\":[{\"add\":{\"index\":\"${P}_v1\",\"alias\":\"${P}\"}}]}")"; expect "alias -> v1" "$r" '"acknowledged":true'
r="$(req PUT "/${P}_v2" "$INDEX_BODY")"; expect "create v2" "$r" '"acknowledged":true'
r="$(req PUT "/${P}_v2/_doc/3?refresh=true" '{"name":"Hamilton","city":"New York","type":"THEATER","starts_at":"2026-09-10T23:00:00Z","location":{"lat":40.759,"lon":-73.9845}}')"
expect "index doc 3 into v2" "$r" '"result":"created"'
r="$(req POST /_aliases "{\"actions\":[{\"remove\":{\"index\":\"${P}_v1\",\"alias\":\"${P}\"}},{\"add\":{\"index\":\"${P}_v2\",\"alias\":\"${P}\"}}]}")"
expect "atomic alias swap v1 -> v2" "$r" '"acknowledged":true'
r="$(req GET "/_alias/${P}")"
[[ "$r" == *"\"${P}_v2\""* && "$r" != *"\"${P}_v1\""* ]] || fail "alias after swap: $r"
r="$(req POST "/${P}/_search" '{"query":{"match_all":{}}}')"
[ "$(hits "$r")" = 1 ] && [ "$(ids "$r")" = "3 " ] || fail "search through alias: $r"; echo "verify: ok   search through the alias sees only v2"
echo "verify: all checks passed against $URL"
