#!/usr/bin/env bash
# Switchboard's load harness, one command (bench/README.md):
#
#   bench/run.sh [--baseline <git-ref>]
#
# builds the current WAR, the floor's WAR (bench/floor) and, with --baseline (or BENCH_BASELINE),
# the WAR of that ref in a temporary git worktree; lays out one Tomcat base per WAR over the same
# Tomcat distribution and configuration; starts the mocks (BENCH_MOCK=java|node|both); and runs
# bench/java/Bench.java, which measures every scenario against the mock directly, the floor, the
# baseline and the current WAR in interleaved slices, prints the Markdown table and writes
# bench/results/${BENCH_NAME:-latest}.{json,md}.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
WORK=$ROOT/target/bench
RESULTS=${BENCH_RESULTS:-$BENCH/results}

BASELINE=${BENCH_BASELINE:-}
while (( $# )); do
  case $1 in
    --baseline) BASELINE=$2; shift 2 ;;
    --baseline=*) BASELINE=${1#*=}; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see bench/README.md)" >&2; exit 2 ;;
  esac
done

# Scenario sizes; the defaults are the issues'.
RUN_SECONDS=${BENCH_SECONDS:-15}
SLICES=${BENCH_SLICES:-3}
STREAMS=${BENCH_STREAMS:-5000}
HOLD=${BENCH_HOLD:-30}
CONTROL_HOLD=${BENCH_CONTROL_HOLD:-10}
ROUNDS=${BENCH_ROUNDS:-6}
ROUND_SECONDS=${BENCH_ROUND_SECONDS:-3}
# Warm-up per workload and Tomcat: at least BENCH_WARMUP s, then on until the JIT has settled, at most BENCH_WARMUP_MAX s.
WARMUP=${BENCH_WARMUP:-10}
WARMUP_MAX=${BENCH_WARMUP_MAX:-90}
CHUNKS=${BENCH_CHUNKS:-8}
PROFILE=${BENCH_PROFILE:-false}
# Which scenarios: all (those run by default), or a comma-separated list of ids from bench/java/Scenarios.java.
SCENARIOS=${BENCH_SCENARIOS:-all}
# Which mock upstream: java, node, or both (one pass each).
MOCK=${BENCH_MOCK:-both}
# The Tomcat configuration of every base: project (the distribution's conf/ with tomcat-conf/ laid
# over it, as the run command does) or stock (the distribution's own, only the ports changed).
TOMCAT_CONF=${BENCH_TOMCAT_CONF:-project}
NAME=${BENCH_NAME:-latest}
# Longest wait for the trickle streams to open: ramp plus hold must end within the mock's 60 s trickle.
RAMP_TIMEOUT=${BENCH_RAMP_TIMEOUT:-20}
# A fixed heap, so that heap and RSS figures do not depend on how far the JVM chose to grow it.
# Every Tomcat (floor, baseline, current) gets the same options; Bench adds -Xlog:gc to a file of its own.
GATEWAY_JVM_OPTS=${BENCH_GATEWAY_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC}
# More options for the current WAR only, @MOCK_PORT@ replaced by the pass's mock port: with
# --baseline HEAD, the same code measured with a setting and without (tracing on against off).
CURRENT_JVM_OPTS=${BENCH_CURRENT_JVM_OPTS:-}

if (( RAMP_TIMEOUT + HOLD > 55 )); then
  echo "BENCH_RAMP_TIMEOUT + BENCH_HOLD must stay within the mock's 60 s trickle, with some slack" >&2
  exit 1
fi
case $MOCK in java|node|both) ;; *) echo "BENCH_MOCK is java, node or both" >&2; exit 1 ;; esac
case $TOMCAT_CONF in project|stock) ;; *) echo "BENCH_TOMCAT_CONF is project or stock" >&2; exit 1 ;; esac

# Every stream is a socket in the client, two in a gateway (client and upstream side) and one in
# the mock; the hard limit may be below 65536, so take what it allows and check it is enough.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < 2 * STREAMS + 1000 )); then
  echo "open-file limit $(ulimit -n) is too low for $STREAMS streams" >&2
  exit 1
fi
if ! command -v wrk >/dev/null; then
  apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
fi
if [[ $MOCK != java ]] && ! command -v node >/dev/null; then
  echo "the Node.js mock needs node (20 or later) on the PATH" >&2
  exit 1
fi

MOCK_PIDS=()
BASELINE_SRC=$WORK/baseline-src
cleanup() {
  local pid
  for pidfile in "$WORK"/bases/*/tomcat.pid; do
    [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pid in "${MOCK_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  if [[ -d $BASELINE_SRC ]]; then
    git -C "$ROOT" worktree remove --force "$BASELINE_SRC" 2>/dev/null || rm -rf "$BASELINE_SRC"
    git -C "$ROOT" worktree prune
  fi
}
trap cleanup EXIT

cd "$ROOT"
rm -rf "$WORK"
git worktree prune
mkdir -p "$WORK/classes" "$WORK/wars" "$WORK/configs/current" "$RESULTS"

echo "[bench] building the current WAR, the floor and the harness"
mvn -q -DskipTests package
cp target/switchboard.war "$WORK/wars/current.war"
cp bench/switchboard-bench*.json "$WORK/configs/current/"
mvn -q -f bench/floor/pom.xml package
cp target/bench-floor/floor.war "$WORK/wars/floor.war"
javac --release 17 -d "$WORK/classes" "$BENCH"/java/*.java

BASELINE_LABEL=
if [[ -n $BASELINE ]]; then
  BASELINE_SHA=$(git rev-parse --short "$BASELINE^{commit}")
  BASELINE_LABEL="$BASELINE ($BASELINE_SHA)"
  echo "[bench] building the baseline WAR of $BASELINE_LABEL in a temporary worktree"
  git worktree add --detach "$BASELINE_SRC" "$BASELINE_SHA" >/dev/null
  (cd "$BASELINE_SRC" && mvn -q -DskipTests package)
  cp "$BASELINE_SRC/target/switchboard.war" "$WORK/wars/baseline.war"
  # Each WAR reads the bench configuration of its own tree (the format may change between them).
  mkdir -p "$WORK/configs/baseline"
  cp "$BASELINE_SRC"/bench/switchboard-bench*.json "$WORK/configs/baseline/" 2>/dev/null || true
  git worktree remove --force "$BASELINE_SRC"
  git worktree prune
fi

# One pristine Tomcat distribution (from the build's own download) and one base per WAR, each with
# the same conf/ and the WAR as ROOT.
TOMCAT_VERSION=$(sed -n 's:.*<tomcat.version>\(.*\)</tomcat.version>.*:\1:p' pom.xml | head -n 1)
TOMCAT_TAR=${BENCH_M2:-$HOME/.m2/repository}/org/apache/tomcat/tomcat/$TOMCAT_VERSION/tomcat-$TOMCAT_VERSION.tar.gz
mkdir -p "$WORK/dist"
if [[ -f $TOMCAT_TAR ]]; then
  tar -xzf "$TOMCAT_TAR" -C "$WORK/dist"
else
  # A local repository elsewhere (set BENCH_M2): the copy the build unpacked.
  cp -r "$ROOT/target/tomcat/apache-tomcat-$TOMCAT_VERSION" "$WORK/dist/"
fi
TOMCAT_HOME=$WORK/dist/apache-tomcat-$TOMCAT_VERSION
for name in floor current ${BASELINE:+baseline}; do
  base=$WORK/bases/$name
  mkdir -p "$base"/{logs,temp,webapps,work}
  cp -r "$TOMCAT_HOME/conf" "$base/conf"
  if [[ $TOMCAT_CONF == project ]]; then
    cp -r "$ROOT/tomcat-conf/." "$base/conf/"
  else
    # The distribution's own server.xml, but for its ports: several Tomcats run at once.
    sed -i -e 's/<Server port="8005"/<Server port="-1"/' -e 's/<Connector port="8080"/<Connector port="${PORT}"/' \
      "$base/conf/server.xml"
  fi
  cp "$WORK/wars/$name.war" "$base/webapps/ROOT.war"
done

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

MOCKS=
start_mock() {
  local name=$1 port pid
  port=$(free_port)
  if [[ $name == java ]]; then
    # The mock is single-threaded; Serial GC keeps it from starting GC threads on the shared cores.
    java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$WORK/classes" MockUpstream \
      --port "$port" --chunks "$CHUNKS" --trickle-seconds 60 >"$WORK/mock-java.log" 2>&1 &
  else
    node "$BENCH/mock-node/mock.js" --port "$port" --chunks "$CHUNKS" --trickle-seconds 60 >"$WORK/mock-node.log" 2>&1 &
  fi
  pid=$!
  MOCK_PIDS+=("$pid")
  for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$port/_stats" >/dev/null && break
    sleep 0.25
  done
  curl -sf "http://127.0.0.1:$port/_stats" >/dev/null || { echo "[bench] the $name mock did not start" >&2; exit 1; }
  echo "[bench] $name mock pid $pid on :$port"
  MOCKS=${MOCKS:+$MOCKS,}$name:$port:$pid
}
case $MOCK in
  both) start_mock java; start_mock node ;;
  *) start_mock "$MOCK" ;;
esac

BENCH_TOKEN=sb-bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_TOKEN
COMMIT=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml tomcat-conf || echo '-dirty')

java -Xms1g -Xmx1g -XX:+UseSerialGC -cp "$WORK/classes" Bench \
  --mocks "$MOCKS" --bases "$WORK/bases" --configs "$WORK/configs" --tomcat-home "$TOMCAT_HOME" \
  --tomcat "apache-tomcat-$TOMCAT_VERSION" --tomcat-conf "$TOMCAT_CONF" --jvm-opts "$GATEWAY_JVM_OPTS" \
  --current-jvm-opts "$CURRENT_JVM_OPTS" \
  ${BASELINE:+--baseline "$BASELINE_LABEL"} --commit "$COMMIT" \
  --token "$BENCH_TOKEN" --clk-tck "$(getconf CLK_TCK)" --out "$RESULTS" --name "$NAME" --lua "$BENCH/wrk/post.lua" \
  --seconds "$RUN_SECONDS" --slices "$SLICES" --streams "$STREAMS" --hold "$HOLD" --control-hold "$CONTROL_HOLD" \
  --rounds "$ROUNDS" --round-seconds "$ROUND_SECONDS" --warmup "$WARMUP" --warmup-max "$WARMUP_MAX" --chunks "$CHUNKS" --profile "$PROFILE" \
  --scenarios "$SCENARIOS" --ramp-timeout "$RAMP_TIMEOUT"
