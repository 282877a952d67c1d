#!/usr/bin/env bash
# End to end, as scripts/up leaves the suite: the three services started by the same function
# scripts/up uses, on schemas of their own in the test MariaDB, the demonstration data loaded
# through them, then checked from outside with rectctl as a visitor would (issue 9's promise:
# records for every assigned issue, escalations at all five levels, a transfer that opened an
# accountability case, met and missed obligations, two linkage requests, a meeting with
# directives), and with curl through the gateway (issue 10's: JSON, the public's view without a
# token, the dossier, a file up and down, the merged event feed, the OpenAPI document).
#
#   tests/e2e/demo_test.sh BUILD_DIR      (RECTIFY_TEST_MYSQL_* from scripts/test)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/lib.sh"
bin=$(cd "$1" && pwd)
if [ -z "${RECTIFY_TEST_MYSQL_PORT:-}" ]; then
  echo "no test database: run through scripts/test"
  exit 77
fi

state=$(mktemp -d -t rectify-e2e.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$state"
}
show_logs() { tail -n 30 "$state"/logs/*.log >&2 || true; }
# Whatever ends the test (a check, a service that would not start), its logs go with it.
finish() {
  local rc=$?
  ((rc == 0)) || show_logs
  cleanup
  exit "$rc"
}
trap finish EXIT

printf '%s' "$RECTIFY_TEST_MYSQL_ADMIN_PASSWORD" >"$state/admin.password"
SUITE_DB_PORT=$RECTIFY_TEST_MYSQL_PORT
SUITE_PREFIX="e2e$(random_secret | head -c 8)_"
for name in ISSUE ISSUE_METRICS ACC ACC_METRICS SUP SUP_METRICS GATEWAY; do
  free_port "SUITE_${name}_PORT"
done
# The portal, when it is built (scripts/test builds it): served by the gateway, walked through
# in a browser at the end.
portal="$root/gateway/web"
[ -f "$portal/dist/index.html" ] && SUITE_WEB_ROOT="$portal/dist"
start_suite "$bin" "$state"
load_demo "$bin" "$state" >"$state/logs/demo.log"

failures=0
check() {  # check WHAT CONDITION_STATUS
  if [ "$2" = 0 ]; then
    echo "ok    $1"
  else
    echo "FAIL  $1" >&2
    failures=$((failures + 1))
  fi
}
token() {
  "$bin/cli/rectctl" token --role="$1" --org="$2" --region="$3" --dev_key="@$state/jwt.key"
}
office=$(token office hlj-office 230000)
discipline=$(token discipline hlj-discipline 230000)
# rectctl TOKEN ARGS...: the API's JSON.
rc() {
  local t=$1; shift
  "$bin/cli/rectctl" --json --token="$t" --addr="127.0.0.1:$SUITE_ISSUE_PORT" \
    --supervision_addr="127.0.0.1:$SUITE_SUP_PORT" \
    --accountability_addr="127.0.0.1:$SUITE_ACC_PORT" "$@"
}

# Every issue the ledger has assigned and not closed has a supervision record on the board.
rc "$office" issues list --all --page_size=500 >"$state/issues.json"
rc "$office" supervision board --page_size=1000 >"$state/board.json"
supervised=$(jq -s '[.[].issues[]? | select(.state != "REGISTERED" and .state != "CLOSED") | .id]
  | map(tonumber) | sort' "$state/issues.json")
on_board=$(jq '[.records[].issue_id] | map(tonumber) | sort' "$state/board.json")
missing=$(jq -n --argjson a "$supervised" --argjson b "$on_board" '$a - $b | length')
check "all $(jq length <<<"$supervised") assigned open issues are supervised (missing: $missing)" \
  "$([ "$missing" = 0 ] && [ "$(jq length <<<"$supervised")" -gt 0 ]; echo $?)"

# The ladder: escalations at each of the five levels.
rc "$office" supervision escalations --page_size=1000 >"$state/escalations.json"
levels=$(jq -c '[.escalations[].level] | unique' "$state/escalations.json")
for level in WARNING NOTICE INTERVIEW LISTED TRANSFER; do
  check "an escalation at $level" "$(jq -e --arg l "$level" 'index($l) != null' <<<"$levels" \
    >/dev/null; echo $?)"
done

# A transfer opened an accountability case (delivered by the outbox; wait for it, bounded).
transfer=$(jq -r '[.escalations[] | select(.level == "TRANSFER")][0].id' "$state/escalations.json")
delivered=1
for _ in $(seq 1 100); do
  state_now=$(rc "$office" supervision escalation "$transfer" | jq -r '.transfer.state') || true
  if [ "$state_now" = DELIVERED ]; then delivered=0; break; fi
  sleep 0.1
done
check "the transfer escalations/$transfer was delivered" "$delivered"
rc "$discipline" cases list >"$state/cases.json"
cases=$(jq --arg t "supervision/escalations/$transfer" '[.cases[] | select(.transfer_id == $t)]
  | length' "$state/cases.json")
check "discipline sees the case it opened ($cases)" "$([ "$cases" = 1 ]; echo $?)"

# Obligations met and missed; two linkage requests; a meeting with directives.
rc "$office" supervision obligations --page_size=1000 >"$state/obligations.json"
for s in MET MISSED; do
  n=$(jq --arg s "$s" '[.obligations[] | select(.state == $s)] | length' "$state/obligations.json")
  check "obligations $s ($n)" "$([ "$n" -gt 0 ]; echo $?)"
done
n=$(rc "$office" supervision linkage | jq '.linkage_requests | length')
check "two linkage requests ($n)" "$([ "$n" = 2 ]; echo $?)"
n=$(rc "$office" supervision meetings | jq '[.meetings[] | select((.directives | length) > 0)]
  | length')
check "a meeting with directives ($n)" "$([ "$n" -ge 1 ]; echo $?)"

# A county sees its own records only.
daoli=$(token county gov-230102 230102)
rc "$daoli" supervision board --page_size=1000 >"$state/daoli.json"
own=$(jq '.records | length' "$state/daoli.json")
outside=$(jq '[.records[] | select(.region_code | startswith("230102") | not)] | length' \
  "$state/daoli.json")
check "a county's board holds its own region only ($own, $outside outside)" \
  "$([ "$own" -gt 0 ] && [ "$outside" = 0 ]; echo $?)"

# The same ledger through the gateway, as HTTP and JSON.
gw="http://127.0.0.1:$SUITE_GATEWAY_PORT"
first=$(jq -rs '[.[].issues[]?][0].id' "$state/issues.json")
status=$(curl -s -o "$state/issue.http" -w '%{http_code}' -H "Authorization: Bearer $office" \
  "$gw/v1/issues/$first")
title=$(jq -r '.title' "$state/issue.http")
check "GET /v1/issues/$first through the gateway ($status, $title)" \
  "$([ "$status" = 200 ] && [ -n "$title" ] && [ "$title" != null ]; echo $?)"
n=$(curl -s -H "Authorization: Bearer $office" "$gw/v1/supervision/escalations?pageSize=1000" \
  | jq '.escalations | length')
m=$(jq '.escalations | length' "$state/escalations.json")
check "the gateway lists the same $m escalations ($n)" "$([ "$n" = "$m" ]; echo $?)"
# Without a token: the public's view only (issues in public notice or closed).
status=$(curl -s -o "$state/public.json" -w '%{http_code}' "$gw/v1/issues?pageSize=1000")
private=$(jq '[.issues[]? | select(.state != "PUBLIC_NOTICE" and .state != "CLOSED")] | length' \
  "$state/public.json")
shown=$(jq '.issues | length' "$state/public.json")
check "no token, the public's view ($status, $shown shown, $private not public)" \
  "$([ "$status" = 200 ] && [ "$shown" -gt 0 ] && [ "$private" = 0 ]; echo $?)"

# An issue's dossier from all three services at once.
curl -s -H "Authorization: Bearer $office" "$gw/v1/issues/$first:dossier" >"$state/dossier.json"
check "the dossier of $first gathers every part ($(jq -c '.unavailable' "$state/dossier.json"))" \
  "$(jq -e '.issue.id and .history.records and .verification.ok and (.unavailable == [])' \
    "$state/dossier.json" >/dev/null; echo $?)"

# A file up and down through the gateway, streamed both ways, the same bytes.
rectifying=$(jq -rs '[.[].issues[]? | select(.state == "RECTIFYING")][0].id' "$state/issues.json")
printf '%%PDF-1.7\n%% 整改方案 %s\n%%%%EOF\n' "$(random_secret)" >"$state/plan.pdf"
curl -s -H "Authorization: Bearer $office" -F "metadata.kind=DOCUMENT" \
  -F "file=@$state/plan.pdf;type=application/pdf;filename=整改方案.pdf" \
  "$gw/v1/issues/$rectifying/evidence" >"$state/evidence.json"
evidence=$(jq -r '.id' "$state/evidence.json")
curl -s -D "$state/download.head" -o "$state/download.pdf" -H "Authorization: Bearer $office" \
  "$gw/v1/issues/$rectifying/evidence/$evidence:download"
check "an upload (multipart) and its download are the same bytes ($(jq -r '.fileName // .error.message' "$state/evidence.json"))" \
  "$(cmp -s "$state/plan.pdf" "$state/download.pdf" && grep -qi "filename\*=UTF-8''" \
    "$state/download.head"; echo $?)"

# Every service's events in one feed, and the API's own description.
events=$( (curl -s -N --max-time 3 -H "Authorization: Bearer $office" "$gw/v1/events" || true) \
  | grep -c '^id: ' || true)
check "the merged event feed replays the demo's events ($events in 3 s)" \
  "$([ "$events" -gt 0 ]; echo $?)"
paths=$(curl -s "$gw/openapi.json" | jq '.paths | length')
check "the OpenAPI document describes $paths paths" "$([ "$paths" -gt 60 ]; echo $?)"

if [ -n "${SUITE_WEB_ROOT:-}" ]; then
  # Screenshots go beside the build, for a look after the run.
  node "$portal/e2e/run.mjs" "$gw" "$bin/portal-e2e" && ok=0 || ok=$?
  check "the portal in a browser (screenshots in $bin/portal-e2e)" "$ok"
fi

((failures == 0))
