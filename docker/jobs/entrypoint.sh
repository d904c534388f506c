#!/bin/sh
# Entry point of the compose `jobs` container, which runs pipeline clients (Beam's Flink and Spark
# runners) inside the compose network.
#
# A Spark driver tells the executors where to connect back to it. By default that is its host
# name, but a `docker compose run` container's host name is not in the network's DNS, so the
# executors on spark-worker could not reach it. Advertise this container's IP address instead.
set -e
ip=$(hostname -i | awk '{print $1}')
export SPARK_LOCAL_IP="$ip"
export SPARK_LOCAL_HOSTNAME="$ip"
exec "$@"
