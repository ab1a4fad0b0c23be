#!/usr/bin/env bash
# A second harness, written apart from bench/run.sh, to check that its ratios to the floor survive a
# change of harness (bench/independent/README.md): wrk for non-streaming load, a Node.js client for
# streams, a Node.js upstream of its own, gateway CPU from /proc/PID/stat over each measured window,
# one Tomcat at a time, default JVM flags, stock Tomcat configuration unless INDEP_CONF=project.
#
#   bench/independent/check.sh            # prints a Markdown table; INDEP_SECONDS (15), INDEP_WARMUP (60)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/independent
WORK=$ROOT/target/independent
SECONDS_PER=${INDEP_SECONDS:-15}
WARMUP=${INDEP_WARMUP:-60}
CONF=${INDEP_CONF:-stock}
CONCURRENCY=32
TOKEN=sb-indep-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_TOKEN=$TOKEN

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$ROOT"
[[ -f target/switchboard.war ]] || mvn -q -DskipTests package
mvn -q -f bench/floor/pom.xml package
TOMCAT_VERSION=$(sed -n 's:.*<tomcat.version>\(.*\)</tomcat.version>.*:\1:p' pom.xml | head -n 1)
tar -xzf "$HOME/.m2/repository/org/apache/tomcat/tomcat/$TOMCAT_VERSION/tomcat-$TOMCAT_VERSION.tar.gz" -C "$WORK"
TOMCAT_HOME=$WORK/apache-tomcat-$TOMCAT_VERSION

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }   # utime + stime, fields 14 and 15
HZ=$(getconf CLK_TCK)

MOCK_PORT=$(port)
export BENCH_MOCK_PORT=$MOCK_PORT
node "$HERE/upstream.js" "$MOCK_PORT" >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 40); do grep -q listening "$WORK/upstream.log" && break; sleep 0.25; done

CHAT='{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
STREAM=${CHAT%\}}',"stream":true}'
TRANSLATED=${STREAM/gpt-4o-mini/claude-sonnet-4-5}
LUA=$WORK/post.lua
cat >"$LUA" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
LUA

# wrk -c CONNECTIONS URL BODY SECONDS: prints "rps p50_ms"; fails if any answer was not a 2xx or a
# socket failed, since wrk counts those in its rate and a quick 401 or 429 would flatter the figures
load() {
  BODY=$3 wrk -t1 -c"$1" -d"$4"s --latency -s "$LUA" "$2" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else { sub(/s/, "", v); v *= 1000 }; p50 = v }
    /Non-2xx or 3xx responses|Socket errors/ { bad = bad $0 }
    END { if (bad != "") { print "wrk:" bad > "/dev/stderr"; exit 1 }; printf "%s %s\n", rps, p50 }'
}

# measure PID KIND URL BODY: runs one window, prints "rate µs-per-request"
measure() {
  local pid=$1 kind=$2 url=$3 body=$4 before after out rate count
  before=$(ticks "$pid")
  if [[ $kind == plain ]]; then
    out=$(load $CONCURRENCY "$url" "$body" "$SECONDS_PER"); rate=${out%% *}
    count=$(awk -v r="$rate" -v s="$SECONDS_PER" 'BEGIN { print r * s }')
  else
    out=$(node "$HERE/streams.js" "$url" "$TOKEN" "$body" "$SECONDS_PER" $CONCURRENCY)
    [[ $out == *" errors=0 "* ]] || { echo "streams.js: $out" >&2; return 1; }
    count=$(sed -n 's/.*streams=\([0-9]*\).*/\1/p' <<<"$out"); rate=$(awk -v c="$count" -v s="$SECONDS_PER" 'BEGIN { print c / s }')
  fi
  after=$(ticks "$pid")
  awk -v r="$rate" -v d=$((after - before)) -v hz="$HZ" -v c="$count" 'BEGIN { printf "%.0f %.0f\n", r, d / hz / c * 1e6 }'
}

declare -A RESULT
run_target() {
  local name=$1 war=$2 opts=$3 base=$WORK/base-$1 gw pid url
  mkdir -p "$base"/{logs,temp,webapps,work}
  cp -r "$TOMCAT_HOME/conf" "$base/conf"
  if [[ $CONF == project ]]; then cp -r "$ROOT/tomcat-conf/." "$base/conf/"; else
    sed -i -e 's/<Server port="8005"/<Server port="-1"/' -e 's/<Connector port="8080"/<Connector port="${PORT}"/' "$base/conf/server.xml"
  fi
  cp "$war" "$base/webapps/ROOT.war"
  gw=$(port)
  CATALINA_HOME=$TOMCAT_HOME CATALINA_BASE=$base CATALINA_OPTS="-DPORT=$gw $opts" JAVA_OPTS= \
    "$TOMCAT_HOME/bin/catalina.sh" run >"$base/logs/console.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$gw/healthz" >/dev/null && break; sleep 0.5; done
  url=http://127.0.0.1:$gw/v1/chat/completions
  load $CONCURRENCY "$url" "$CHAT" "$WARMUP" >/dev/null
  node "$HERE/streams.js" "$url" "$TOKEN" "$STREAM" "$WARMUP" $CONCURRENCY >/dev/null
  [[ $name == floor ]] || node "$HERE/streams.js" "$url" "$TOKEN" "$TRANSLATED" "$WARMUP" $CONCURRENCY >/dev/null
  RESULT[$name.plain]=$(measure "$pid" plain "$url" "$CHAT")
  RESULT[$name.stream]=$(measure "$pid" stream "$url" "$STREAM")
  [[ $name == floor ]] || RESULT[$name.translated]=$(measure "$pid" stream "$url" "$TRANSLATED")
  RESULT[$name.seq]=$(load 1 "$url" "$CHAT" 10 | cut -d' ' -f2)
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

DIRECT_SEQ=$(load 1 "http://127.0.0.1:$MOCK_PORT/v1/chat/completions" "$CHAT" 10 | cut -d' ' -f2)
run_target floor "$ROOT/target/bench-floor/floor.war" "-Dfloor.upstream=http://127.0.0.1:$MOCK_PORT"
run_target switchboard "$ROOT/target/switchboard.war" "-Dswitchboard.config=$ROOT/bench/switchboard-bench.json"

f() { cut -d' ' -f"$2" <<<"${RESULT[$1]}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "×%.2f", a / b }'; }
FLOOR_CPU=$(f floor.plain 2)
cat <<TABLE
| Scenario (c=$CONCURRENCY, ${SECONDS_PER} s, $CONF Tomcat $TOMCAT_VERSION) | floor | Switchboard | Switchboard ÷ floor |
|---|---:|---:|---:|
| Non-streaming requests/s | $(f floor.plain 1) | $(f switchboard.plain 1) | $(ratio "$(f switchboard.plain 1)" "$(f floor.plain 1)") |
| Non-streaming CPU per request | $FLOOR_CPU µs | $(f switchboard.plain 2) µs | $(ratio "$(f switchboard.plain 2)" "$FLOOR_CPU") |
| OpenAI stream, 8 chunks: streams/s | $(f floor.stream 1) | $(f switchboard.stream 1) | $(ratio "$(f switchboard.stream 1)" "$(f floor.stream 1)") |
| OpenAI stream CPU per stream | $(f floor.stream 2) µs | $(f switchboard.stream 2) µs | $(ratio "$(f switchboard.stream 2)" "$(f floor.stream 2)") |
| Anthropic stream, translated: CPU per stream (÷ floor's non-streaming) | | $(f switchboard.translated 2) µs | $(ratio "$(f switchboard.translated 2)" "$FLOOR_CPU") |
| Sequential p50, added to the upstream's ${DIRECT_SEQ} ms | +$(awk -v a="${RESULT[floor.seq]}" -v b="$DIRECT_SEQ" 'BEGIN { printf "%.3f", a - b }') ms | +$(awk -v a="${RESULT[switchboard.seq]}" -v b="$DIRECT_SEQ" 'BEGIN { printf "%.3f", a - b }') ms | |
TABLE
