#!/usr/bin/env bash
# make cluster-up / cluster-down / cluster-status: a real Flink session cluster or Spark standalone
# cluster on 127.0.0.1 without Docker, assembled from Maven registry jars (clusters/flink,
# clusters/spark), each daemon a JVM of its own in its own process group.
#
# usage: scripts/cluster.sh up|down|status ENGINE        ENGINE = flink | spark
#        scripts/cluster.sh add-taskmanager flink         one more TaskManager (e.g. after one died)
#
# State (pids, ports, master, config, logs, scratch) lives in $CLUSTER_DIR/<engine>/ (default
# target/cluster, git-ignored), so `down` and "already up" work from any later shell. `up` ends with
# the master on a line of its own (FLINK_MASTER=127.0.0.1:<port> or SPARK_MASTER=spark://...),
# ready to pass to make, then the UI address. If `up` fails or is interrupted, it stops what it
# started and prints the end of each log.
#
# Environment: JAVA (java), MVN (mvn -B -q), CLUSTER_DIR, CLUSTER_TIMEOUT (seconds to wait for
# readiness, default 120).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
JAVA=${JAVA:-java}
MVN=${MVN:-mvn -B -q}
CLUSTER_TIMEOUT=${CLUSTER_TIMEOUT:-120}

die() {
  echo "cluster: $*" >&2
  exit 2
}

[ $# -eq 2 ] || die "usage: scripts/cluster.sh up|down|status ENGINE (flink or spark), or add-taskmanager flink"
action=$1 engine=$2
case "$engine" in flink | spark) ;; *) die "ENGINE=$engine is not an engine; use flink or spark" ;; esac

state=$(mkdir -p "${CLUSTER_DIR:-target/cluster}" && cd "${CLUSTER_DIR:-target/cluster}" && pwd)/$engine
pids_file=$state/pids # one "name pid" line per daemon; each pid leads its own process group
logs=$state/logs

# The versions live once, in the root pom.xml (the runner jars are built against them).
pom_property() {
  local value
  value=$(sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -n 1)
  [ -n "$value" ] || die "pom.xml has no <$1> property"
  echo "$value"
}

# Java 17 refuses reflection into JDK internals unless opened: the packages the runners need in the
# job code (pipeline/src/main/resources/io/coinbeam/add-opens.txt, the one list of them) and those
# Flink's and Spark's own daemons open in their start scripts (net, io, text, time, atomics, locks).
java_module_flags() {
  local p
  echo "-XX:+IgnoreUnrecognizedVMOptions"
  for p in $(grep -v '^[[:space:]]*#' pipeline/src/main/resources/io/coinbeam/add-opens.txt) \
    java.net java.io java.lang.reflect java.text java.time java.util.concurrent.atomic \
    java.util.concurrent.locks sun.nio.cs sun.security.action; do
    echo "--add-opens=java.base/$p=ALL-UNNAMED"
  done
  echo "--add-exports=java.base/sun.net.util=ALL-UNNAMED"
  echo "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
  echo "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
}

# N free TCP ports on 127.0.0.1, held open together while chosen so that they differ.
free_ports() {
  python3 -c '
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
' "$1"
}

# Running, and not a zombie: a killed daemon's parent may not have reaped it yet.
alive() { kill -0 "$1" 2>/dev/null && [[ $(ps -o stat= -p "$1" 2>/dev/null) != Z* ]]; }

# Every daemon this cluster started that is still running ("name pid" lines).
running_daemons() {
  [ -f "$pids_file" ] || return 0
  local name pid
  while read -r name pid; do
    if alive "$pid"; then echo "$name $pid"; fi
  done <"$pids_file"
}

# Starts one daemon in a new session (its own process group, so that what it launches, e.g. Spark's
# executors, goes with it), stdout and stderr to logs/<name>.log, and records its pid.
start_daemon() {
  local name=$1
  shift
  setsid "$@" </dev/null >>"$logs/$name.log" 2>&1 &
  echo "$name $!" >>"$pids_file"
}

# Stops every recorded daemon: SIGTERM to its process group, SIGKILL after 20 s.
stop_all() {
  [ -f "$pids_file" ] || return 0
  local name pid waited
  while read -r name pid; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done <"$pids_file"
  while read -r name pid; do
    waited=0
    while alive "$pid" && [ $waited -lt 40 ]; do
      sleep 0.5
      waited=$((waited + 1))
    done
    if alive "$pid"; then
      echo "cluster: $name ($pid) ignored SIGTERM for 20 s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    # Spark executors live in the worker's group; anything of that group left goes too.
    kill -KILL -- "-$pid" 2>/dev/null || true
    waited=0
    while alive "$pid" && [ $waited -lt 20 ]; do
      sleep 0.25
      waited=$((waited + 1))
    done
  done <"$pids_file"
  rm -f "$pids_file" "$state/master" "$state/ui"
}

print_log_tails() {
  local log
  for log in "$logs"/*.log; do
    [ -f "$log" ] || continue
    echo "---- last lines of $log" >&2
    tail -n 30 "$log" >&2
  done
}

# Polls `ready` (a function name) until it succeeds, a daemon dies, or CLUSTER_TIMEOUT passes.
await_ready() {
  local what=$1 check=$2 started=$SECONDS name pid
  while ! $check; do
    while read -r name pid; do
      alive "$pid" || { echo "cluster: $name (pid $pid) exited while starting" >&2 && return 1; }
    done <"$pids_file"
    if [ $((SECONDS - started)) -ge "$CLUSTER_TIMEOUT" ]; then
      echo "cluster: $what not ready after $CLUSTER_TIMEOUT s" >&2
      return 1
    fi
    sleep 1
  done
}

# ---- Flink -------------------------------------------------------------------------------------
flink_lib() {
  local version lib=clusters/flink/target/flink/lib
  version=$(pom_property flink.version)
  if [ ! -f "$lib/flink-runtime-$version.jar" ] || [ clusters/flink/pom.xml -nt "$lib" ]; then
    # To stderr: the caller takes this function's output as the folder's path.
    echo "cluster: assembling Flink $version's lib/ from the Maven registry (clusters/flink)" >&2
    rm -rf "$lib"
    $MVN -f clusters/flink/pom.xml -Dflink.version="$version" package >&2
  fi
  echo "$root/$lib"
}

flink_rest_port() { sed -n 's/^rest.port: //p' "$state/conf/config.yaml"; }

flink_has_free_slots() {
  local overview
  overview=$(curl -sf --max-time 2 "http://127.0.0.1:$(flink_rest_port)/overview") || return 1
  [[ $overview =~ \"taskmanagers\":[1-9] ]] && [[ $overview =~ \"slots-available\":[1-9] ]]
}

flink_knows_new_taskmanager() {
  local list
  list=$(curl -sf --max-time 2 "http://127.0.0.1:$(flink_rest_port)/taskmanagers") || return 1
  [[ $list == *\"id\":\"$new_taskmanager\"* ]]
}

# The JVM flags and -D properties Flink computes for a daemon from its memory settings (what its
# own start scripts do with BashJavaUtils): $1 = GET_JM_RESOURCE_PARAMS or GET_TM_RESOURCE_PARAMS.
flink_resource_params() {
  local lib=$1 what=$2 results
  results=$("$JAVA" -cp "$lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$what" \
    --configDir "$state/conf" 2>&1 | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')
  [ "$(echo "$results" | wc -l)" -eq 2 ] || {
    echo "cluster: Flink's BashJavaUtils $what gave no memory settings" >&2
    return 1
  }
  echo "$results"
}

flink_start_taskmanager() {
  local lib=$1 id=$2 params
  params=$(flink_resource_params "$lib" GET_TM_RESOURCE_PARAMS) || return 1
  # shellcheck disable=SC2046 # the computed flags are words by design
  echo "$id" >"$state/taskmanagers"
  start_daemon "taskmanager-$id" "$JAVA" $(echo "$params" | sed -n 1p) $(java_module_flags) \
    -Dlog4j.configurationFile="file:$state/conf/log4j2-component.properties" \
    -cp "$lib/*" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$state/conf" $(echo "$params" | sed -n 2p) -D "taskmanager.resource-id=tm-$id"
}

flink_up() {
  local lib ports rest rpc blob params
  lib=$(flink_lib)
  read -r rest rpc blob <<<"$(free_ports 3)"
  mkdir -p "$state/conf" "$state/tmp" "$state/checkpoints" "$state/savepoints"
  # Sizes for 2 cores and a few GB: JobManager about 0.5 GB, one TaskManager of two slots about
  # 1.5 GB. All five streams in one job are over 300 tasks, whose exchanges need more network
  # buffers than 256m of Flink's default 32 KB segments hold ("Insufficient number of network
  # buffers: required 512, but only 415 available"): 8 KB segments give four times as many.
  cat >"$state/conf/config.yaml" <<EOF
jobmanager.rpc.address: 127.0.0.1
jobmanager.bind-host: 127.0.0.1
jobmanager.rpc.port: $rpc
jobmanager.memory.process.size: 1024m
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest
blob.server.port: $blob
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.numberOfTaskSlots: 2
taskmanager.cpu.cores: 2
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.task.heap.size: 512m
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 0m
taskmanager.memory.network.min: 256m
taskmanager.memory.network.max: 256m
taskmanager.memory.segment-size: 8kb
taskmanager.memory.managed.size: 128m
taskmanager.memory.jvm-metaspace.size: 256m
parallelism.default: 2
io.tmp.dirs: $state/tmp
web.tmpdir: $state/tmp
blob.storage.directory: $state/tmp
# What survives a failure (docs/OPERATIONS.md): checkpoints and savepoints on files, a job restarted
# from its last checkpoint up to 20 times, and a TaskManager that dies found within 10 s.
state.backend.type: hashmap
state.checkpoints.dir: file://$state/checkpoints
state.savepoints.dir: file://$state/savepoints
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 20
restart-strategy.fixed-delay.delay: 2 s
heartbeat.interval: 2000
heartbeat.timeout: 10000
EOF
  # Each daemon logs to its stdout, which start_daemon sends to logs/<name>.log.
  cat >"$state/conf/log4j2-component.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = console
appender.console.name = console
appender.console.type = Console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
EOF
  params=$(flink_resource_params "$lib" GET_JM_RESOURCE_PARAMS)
  # shellcheck disable=SC2046
  start_daemon jobmanager "$JAVA" $(echo "$params" | sed -n 1p) $(java_module_flags) \
    -Dlog4j.configurationFile="file:$state/conf/log4j2-component.properties" \
    -cp "$lib/*" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$state/conf" $(echo "$params" | sed -n 2p)
  flink_start_taskmanager "$lib" 1
  await_ready "the Flink cluster (GET /overview with a TaskManager and free slots)" flink_has_free_slots
  echo "FLINK_MASTER=127.0.0.1:$rest" >"$state/master"
  echo "http://127.0.0.1:$rest" >"$state/ui"
}

flink_add_taskmanager() {
  [ -s "$state/master" ] || die "no Flink cluster is up: make cluster-up ENGINE=flink"
  local lib n
  lib=$(flink_lib)
  # Daemons that died (a TaskManager killed on purpose) are forgotten; the new one gets the next
  # number, so its resource id is one the JobManager has not seen.
  running_daemons >"$pids_file.running"
  mv "$pids_file.running" "$pids_file"
  n=$(($(cat "$state/taskmanagers") + 1))
  flink_start_taskmanager "$lib" "$n"
  # Registered is ready: a job waiting to restart may take its slots at once.
  new_taskmanager=tm-$n
  await_ready "the new TaskManager" flink_knows_new_taskmanager
  echo "cluster: TaskManager tm-$n is up (pid $(sed -n '$s/.* //p' "$pids_file"))"
}

# ---- Spark -------------------------------------------------------------------------------------
spark_jars() {
  local version scala jars=clusters/spark/target/spark/jars
  version=$(pom_property spark.version)
  scala=$(pom_property scala.binary.version)
  if [ ! -f "$jars/spark-core_$scala-$version.jar" ] || [ clusters/spark/pom.xml -nt "$jars" ]; then
    # To stderr: the caller takes this function's output as the folder's path.
    echo "cluster: assembling Spark $version's jars/ from the Maven registry (clusters/spark)" >&2
    rm -rf "$jars"
    $MVN -f clusters/spark/pom.xml -Dspark.version="$version" -Dscala.binary.version="$scala" package >&2
  fi
  echo "$root/$jars"
}

spark_has_live_worker() {
  local status
  status=$(curl -sf --max-time 2 "http://127.0.0.1:$(cat "$state/ui.port")/json/") || return 1
  [[ $status =~ \"aliveworkers\"\ *:\ *[1-9] ]]
}

spark_up() {
  local jars home master ui worker worker_ui
  jars=$(spark_jars)
  read -r master ui worker worker_ui <<<"$(free_ports 4)"
  home=$state/home
  mkdir -p "$home/conf" "$home/work"
  ln -sfn "$jars" "$home/jars"
  cat >"$home/conf/log4j2.properties" <<'EOF'
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
EOF
  echo "$ui" >"$state/ui.port"
  # Spark finds its jars and launches executors through SPARK_HOME; without SPARK_SCALA_VERSION
  # every executor fails ("Cannot find any build directories").
  export SPARK_HOME=$home SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION
  SPARK_SCALA_VERSION=$(pom_property scala.binary.version)
  local cp="$home/conf/:$home/jars/*"
  # shellcheck disable=SC2046
  start_daemon master "$JAVA" -Xmx512m $(java_module_flags) -cp "$cp" \
    org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master" --webui-port "$ui"
  # Executors of 1 GB each (Spark's default) inside the worker's 2 GB.
  # shellcheck disable=SC2046
  start_daemon worker "$JAVA" -Xmx512m $(java_module_flags) -cp "$cp" \
    org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port "$worker" \
    --webui-port "$worker_ui" --cores 2 --memory 2g --work-dir "$home/work" \
    "spark://127.0.0.1:$master"
  await_ready "the Spark cluster (GET /json/ with a live worker)" spark_has_live_worker
  echo "SPARK_MASTER=spark://127.0.0.1:$master" >"$state/master"
  echo "http://127.0.0.1:$ui" >"$state/ui"
}

# ---- actions -----------------------------------------------------------------------------------
print_master() {
  cat "$state/master"
  echo "UI: $(cat "$state/ui")"
}

is_up() {
  [ -s "$state/master" ] && [ -f "$pids_file" ] && [ -z "$(
    while read -r name pid; do alive "$pid" || echo dead; done <"$pids_file"
  )" ]
}

case "$action" in
  up)
    if is_up; then
      echo "cluster: the $engine cluster is already up (make cluster-down ENGINE=$engine stops it)"
      print_master
      exit 0
    fi
    # Leftovers of a cluster that half died: stop them, start afresh.
    stop_all
    rm -rf "$state"
    mkdir -p "$logs"
    : >"$pids_file"
    on_failure() {
      trap - EXIT INT TERM
      print_log_tails
      echo "cluster: stopping what was started" >&2
      stop_all
    }
    trap 'status=$?; [ $status -eq 0 ] || on_failure; exit $status' EXIT
    trap 'exit 130' INT TERM
    started=$SECONDS
    "${engine}_up"
    trap - EXIT INT TERM
    echo "cluster: $engine cluster ready in $((SECONDS - started)) s; daemons (pid):" \
      $(running_daemons | tr '\n' ' ') "; logs in $logs"
    print_master
    ;;
  down)
    if [ -f "$pids_file" ]; then
      echo "cluster: stopping the $engine cluster:" $(running_daemons | tr '\n' ' ')
      stop_all
      rm -rf "$state/tmp" "$state/home/work"
      echo "cluster: the $engine cluster is down (logs kept in $logs)"
    else
      echo "cluster: no $engine cluster is up"
    fi
    ;;
  status)
    if is_up; then
      print_master
    else
      echo "cluster: no $engine cluster is up" >&2
      exit 1
    fi
    ;;
  add-taskmanager)
    [ "$engine" = flink ] || die "add-taskmanager is for ENGINE=flink"
    flink_add_taskmanager
    ;;
  *) die "unknown action $action; use up, down, status or add-taskmanager" ;;
esac
