#!/usr/bin/env bash
# Switchboard's load harness (issue 7), one command: builds the WAR, starts the mock upstream and
# Switchboard on the Tomcat 11 that the build unpacks, runs every scenario (bench/java/Bench.java),
# prints the Markdown table and writes bench/results/latest.{json,md}. See bench/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
WORK=$ROOT/target/bench
RESULTS=${BENCH_RESULTS:-$BENCH/results}

# Scenario sizes; the defaults are the issue's.
RUN_SECONDS=${BENCH_SECONDS:-15}
STREAMS=${BENCH_STREAMS:-5000}
HOLD=${BENCH_HOLD:-30}
CONTROL_HOLD=${BENCH_CONTROL_HOLD:-10}
ROUNDS=${BENCH_ROUNDS:-6}
ROUND_SECONDS=${BENCH_ROUND_SECONDS:-3}
WARMUP=${BENCH_WARMUP:-10}
CHUNKS=${BENCH_CHUNKS:-8}
PROFILE=${BENCH_PROFILE:-false}
# Which scenarios: all, or a comma-separated list of sequential,nonstreaming,stream-openai,stream-anthropic,trickle.
SCENARIOS=${BENCH_SCENARIOS:-all}
# Longest wait for the trickle streams to open: ramp plus hold must end within the mock's 60 s trickle.
RAMP_TIMEOUT=${BENCH_RAMP_TIMEOUT:-20}
# A fixed heap, so that heap and RSS figures do not depend on how far the JVM chose to grow it.
# (run.sh adds -Xlog:gc to a file of its own: one line per pause, for the GC figures of each run.)
GATEWAY_JVM_OPTS=${BENCH_GATEWAY_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC}

if (( RAMP_TIMEOUT + HOLD > 55 )); then
  echo "BENCH_RAMP_TIMEOUT + BENCH_HOLD must stay within the mock's 60 s trickle, with some slack" >&2
  exit 1
fi

# Every stream is a socket in the client, two in the gateway (client and upstream side) and one in
# the mock; the hard limit may be below 65536, so take what it allows and check it is enough.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < 2 * STREAMS + 1000 )); then
  echo "open-file limit $(ulimit -n) is too low for $STREAMS streams" >&2
  exit 1
fi

if ! command -v wrk >/dev/null; then
  apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
fi

cd "$ROOT"
echo "[bench] building the WAR and the harness"
mvn -q -DskipTests package
rm -rf "$WORK"
mkdir -p "$WORK/classes" "$RESULTS"
javac --release 17 -d "$WORK/classes" "$BENCH"/java/*.java

# A Tomcat base of our own over the distribution the build unpacked, with tomcat-conf/ laid over
# its conf/ exactly as the run command does, and the WAR as ROOT.
TOMCAT_HOME=$(ls -d "$ROOT"/target/tomcat/apache-tomcat-* | head -n 1)
BASE=$WORK/tomcat
mkdir -p "$BASE"/{logs,temp,webapps,work}
cp -r "$TOMCAT_HOME/conf" "$BASE/conf"
cp -r "$ROOT/tomcat-conf/." "$BASE/conf/"
cp "$ROOT/target/switchboard.war" "$BASE/webapps/ROOT.war"

# Ports below the ephemeral range, so that the thousands of client sockets never take them.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 10000))
    if [[ -z $(ss -Htln "sport = :$port") ]]; then
      echo "$port"
      return
    fi
  done
}

MOCK_PID=
TOMCAT_PID=
stop() {
  local pid=$1
  [[ -n $pid ]] && kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    [[ -d /proc/$pid ]] || return 0
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$TOMCAT_PID"
  stop "$MOCK_PID"
}
trap cleanup EXIT

MOCK_PORT=$(free_port)
# The mock is single-threaded; Serial GC keeps it from starting GC threads on the shared cores.
java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$WORK/classes" MockUpstream \
  --port "$MOCK_PORT" --chunks "$CHUNKS" --trickle-seconds 60 >"$WORK/mock.log" 2>&1 &
MOCK_PID=$!

GATEWAY_PORT=$(free_port)
export BENCH_MOCK_PORT=$MOCK_PORT
BENCH_TOKEN=sb-bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_TOKEN
CATALINA_HOME=$TOMCAT_HOME CATALINA_BASE=$BASE CATALINA_PID=$BASE/tomcat.pid \
  CATALINA_OPTS="$GATEWAY_JVM_OPTS -Xlog:gc:file=$BASE/logs/gc.log -DPORT=$GATEWAY_PORT -Dswitchboard.config=$BENCH/switchboard-bench.json" \
  "$TOMCAT_HOME/bin/catalina.sh" start >/dev/null
TOMCAT_PID=$(cat "$BASE/tomcat.pid")

echo "[bench] mock pid $MOCK_PID on :$MOCK_PORT, Tomcat pid $TOMCAT_PID on :$GATEWAY_PORT; waiting for both"
for _ in $(seq 120); do
  if curl -sf "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null && curl -sf "http://127.0.0.1:$MOCK_PORT/_stats" >/dev/null; then
    break
  fi
  if [[ ! -d /proc/$TOMCAT_PID || ! -d /proc/$MOCK_PID ]]; then
    break
  fi
  sleep 0.5
done
# One real request per provider type, so that a broken setup fails here rather than as errors.
for model in gpt-4o-mini claude-sonnet-4-5; do
  if ! curl -sf "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" -H "Authorization: Bearer $BENCH_TOKEN" \
      -H 'Content-Type: application/json' \
      -d "{\"model\":\"$model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" >/dev/null; then
    echo "[bench] the gateway does not answer for $model; Tomcat log:" >&2
    tail -n 40 "$BASE/logs/catalina.out" >&2
    exit 1
  fi
done

java -Xms1g -Xmx1g -XX:+UseSerialGC -cp "$WORK/classes" Bench \
  --gateway-port "$GATEWAY_PORT" --gateway-pid "$TOMCAT_PID" \
  --mock-port "$MOCK_PORT" --mock-pid "$MOCK_PID" \
  --token "$BENCH_TOKEN" --clk-tck "$(getconf CLK_TCK)" --out "$RESULTS" --lua "$BENCH/wrk/post.lua" \
  --seconds "$RUN_SECONDS" --streams "$STREAMS" --hold "$HOLD" --control-hold "$CONTROL_HOLD" \
  --rounds "$ROUNDS" --round-seconds "$ROUND_SECONDS" --warmup "$WARMUP" --chunks "$CHUNKS" --profile "$PROFILE" \
  --scenarios "$SCENARIOS" --ramp-timeout "$RAMP_TIMEOUT" --gateway-log "$BASE/logs/catalina.out" \
  --gc-log "$BASE/logs/gc.log" \
  --tomcat "$(basename "$TOMCAT_HOME")" --gateway-jvm-opts "$GATEWAY_JVM_OPTS" \
  --commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml tomcat-conf || echo '-dirty')"
