#!/usr/bin/env bash
# make stream-demo: a Kafka broker in a JVM of its own, a replay of the bundled sample into it (with
# watermark heartbeats), and the streaming pipeline printing candles as they update. Everything it
# started is stopped when it ends, fails or is interrupted (Ctrl-C).
#
# usage: scripts/stream-demo.sh <java> <ingest jar> <input> <speed> <seconds> <port> -- <pipeline command...>
set -euo pipefail

java_bin=$1 ingest_jar=$2 input=$3 speed=$4 seconds=$5 port=$6
shift 6
[ "${1:-}" = "--" ] && shift

workdir=$(mktemp -d "${TMPDIR:-/tmp}/coinbeam-stream-demo.XXXXXX")
broker_pid="" replay_pid=""
cleanup() {
  trap - EXIT INT TERM
  [ -n "$replay_pid" ] && kill "$replay_pid" 2>/dev/null || true
  if [ -n "$broker_pid" ]; then
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

echo "stream-demo: starting a Kafka broker on 127.0.0.1:$port (log: $workdir/broker.log)"
"$java_bin" -Xmx1g -cp "$ingest_jar" io.coinbeam.broker.LocalKafkaBroker --port="$port" \
  >"$workdir/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 120); do
  grep -q "local Kafka broker ready" "$workdir/broker.log" && break
  if ! kill -0 "$broker_pid" 2>/dev/null; then
    cat "$workdir/broker.log" >&2
    echo "stream-demo: the broker did not start (is port $port free? KAFKA_PORT= picks another)" >&2
    exit 1
  fi
  sleep 0.5
done
grep -q "local Kafka broker ready" "$workdir/broker.log" || { echo "stream-demo: the broker is not ready after 60 s" >&2; exit 1; }

echo "stream-demo: replaying $input at speed $speed, with watermark heartbeats"
"$java_bin" -cp "$ingest_jar" io.coinbeam.ingest.Replay --input="$input" --speed="$speed" \
  --bootstrap="127.0.0.1:$port" --heartbeats=true >"$workdir/replay.log" 2>&1 &
replay_pid=$!

echo "stream-demo: streaming pipeline for ${seconds}s: $*"
status=0
"$@" --mode=STREAMING --kafkaBootstrapServers="127.0.0.1:$port" --kafkaGroupId="stream-demo-$$" \
  --printPanes=true --runFor="${seconds}s" || status=$?
if kill -0 "$replay_pid" 2>/dev/null; then
  echo "stream-demo: the replay was still running (raise SECONDS= or SPEED=)"
else
  if ! wait "$replay_pid"; then
    echo "stream-demo: the replay failed; the end of its log:"
    tail -n 5 "$workdir/replay.log"
  fi
fi
replay_pid=""
exit "$status"
