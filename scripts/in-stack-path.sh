#!/usr/bin/env bash
# A path as the compose stack's containers see it. make uses this when a job runs in the stack's
# `jobs` container (FLINK_MASTER=localhost:8081, SPARK_MASTER=spark://localhost:7077 or IN_STACK=1;
# see "Local stack" in the Makefile), to turn INPUT= and OUTPUT= into the paths the workers read.
#
# Every container that runs pipeline code mounts the repository's data/ and captures/ at
# /coinbeam/data and /coinbeam/captures, and the coinbeam-out volume (not ./out) at /coinbeam/out
# (docker-compose.yml, x-pipeline-volumes); the jars are at /opt/coinbeam.
#
# usage:
#   scripts/in-stack-path.sh PATH
#       prints PATH as the containers see it: a relative path is taken from the repository root
#       (as on the host, a leading ./ dropped) and put under /coinbeam/; an absolute path or a URL
#       (anything with ://) is printed as it is.
#         data/sample/{stream}/*  ->  /coinbeam/data/sample/{stream}/*
#         ./captures/x.ndjson.gz  ->  /coinbeam/captures/x.ndjson.gz
#         out                     ->  /coinbeam/out
#         gs://bucket/x           ->  gs://bucket/x
#   scripts/in-stack-path.sh --check NAME PATH
#       exit 0, printing nothing, if the stack's workers can see PATH: a URL, or a path that lands
#       under /coinbeam/data/, /coinbeam/captures/ or /coinbeam/out. Otherwise print why to stderr
#       ("NAME=PATH is not visible to the stack's workers; ...") and exit 1. make turns that text
#       into its $(error ...).
#
# A PATH is taken word by word, as make's own functions do (make's variables have no quoting):
# one absolute word keeps it as it is, and a leading ./ is dropped from each word. Globs and
# {stream} are text here, never expanded.
set -euo pipefail
set -f

usage() {
  echo "usage: $0 PATH | $0 --check NAME PATH" >&2
  exit 2
}

# PATH as the containers see it.
in_stack() {
  local path=$1 word words=""
  case $path in
    *://*) printf '%s\n' "$path"; return ;;
  esac
  for word in $path; do
    case $word in
      /*) printf '%s\n' "$path"; return ;;
    esac
  done
  for word in $path; do
    words="$words${words:+ }${word#./}"
  done
  printf '/coinbeam/%s\n' "$words"
}

# True when the stack's workers can read or write PATH.
visible() {
  local path=$1 word
  case $path in
    *://*) return 0 ;;
  esac
  for word in $(in_stack "$path"); do
    case $word in
      /coinbeam/data/* | /coinbeam/captures/* | /coinbeam/out | /coinbeam/out/*) return 0 ;;
    esac
  done
  return 1
}

case ${1-} in
  --check)
    [ $# -eq 3 ] || usage
    if ! visible "$3"; then
      printf "%s=%s is not visible to the stack's workers; use a path under data/, captures/ or out/ (or a URL)\n" "$2" "$3" >&2
      exit 1
    fi
    ;;
  *)
    [ $# -eq 1 ] || usage
    in_stack "$1"
    ;;
esac
