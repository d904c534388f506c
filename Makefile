# coinbeam: every user-facing command. `make help` lists them by purpose (see "make help" below).
#
# Per-stream targets take:
#   INPUT=   capture files (path or glob; {stream} is replaced by the stream name)
#   OUTPUT=  Parquet output root (one folder per table)
#   RUNNER=  flink (default) | spark | direct   (FlinkRunner/SparkRunner/DirectRunner also accepted)
#            flink [local] is the default: the fastest at every size measured (docs/BENCHMARKS.md)
#            in-process by default; FLINK_MASTER=host:8081 or SPARK_MASTER=spark://host:7077 for a cluster
#   MODE=    batch (default) | streaming
#   SINKS=   parquet (default), bigquery, postgres; comma-separated, e.g. SINKS=parquet,postgres
#   ARGS=    any further pipeline flags, e.g. ARGS="--window=5m"
#   DRY_RUN=1  print the command instead of running it (and build nothing)
#
# FLINK_MASTER=localhost:8081 and SPARK_MASTER=spark://localhost:7077 mean the compose stack
# (make up): the job then runs in its `jobs` container, on the compose network (see "Local stack").
# The master `make cluster-up` printed (a real cluster on 127.0.0.1, no Docker) is submitted to
# from here, like any cluster's (see "Clusters without Docker" and docs/OPERATIONS.md).
#
# With SINKS=postgres (and for db-migrate), the database comes from the environment:
#   PG_URL=       JDBC URL (default jdbc:postgresql://localhost:5432/coinbeam, the compose database)
#   PG_USER=      user (default coinbeam)
#   PG_PASSWORD=  password (from the environment or a git-ignored .env; never on the command line)
#
# With SINKS=bigquery (and for bq-check), where BigQuery is; each defaults to the Terraform output
# of the same meaning once `make tf-apply` has run, so nothing needs typing after that:
#   GCP_PROJECT=       project (else $GOOGLE_CLOUD_PROJECT, else Terraform's project_id)
#   BQ_DATASET=        dataset (else Terraform's dataset_id, else the pipeline's default coinbeam)
#   BQ_TEMP_LOCATION=  gs:// folder for load-job files (else Terraform's temp_location)

SHELL := /bin/bash
.DEFAULT_GOAL := help

# ---- .env: the local stack's settings (see .env.example) -------------------------------------
# Its KEY=value lines also reach every command make runs (make ingest, db-migrate, SINKS=postgres
# on this machine), except keys already set in the environment or on the command line.
ENV_FILE ?= .env
ifneq ($(wildcard $(ENV_FILE)),)
ENV_FILE_KEYS := $(shell sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' '$(ENV_FILE)')
env_file_value = $(shell sed -n 's/^[[:space:]]*$(1)=//p' '$(ENV_FILE)' | tail -n 1)
define load_env_key
ifeq ($$(origin $(1)),undefined)
$(1) := $$(call env_file_value,$(1))
endif
endef
$(foreach k,$(ENV_FILE_KEYS),$(eval $(call load_env_key,$(k))))
export $(ENV_FILE_KEYS)
endif

MVN       ?= mvn -B -q
JAVA      ?= java
JAVA_OPTS ?= -Xmx4g -XX:+UseParallelGC
INPUT     ?= data/sample/{stream}/*
OUTPUT    ?= out
RUNNER    ?= flink
MODE      ?= batch
SINKS     ?= parquet
ARGS      ?=
SEED      ?= 42
FLINK_MASTER ?= [local]
SPARK_MASTER ?= local[*]
PARALLELISM  ?= 2
# Streaming only: Flink checkpoint interval and Spark micro-batch interval, in milliseconds. Flink
# puts a closed window's Parquet files in place at the next completed checkpoint (FileIO's finalize
# waits for stable input): 5 s keeps the files close behind the watermark (see docs/STREAMING.md).
CHECKPOINT_MS     ?= 5000
BATCH_INTERVAL_MS ?= 1000

# The streams (one per-stream target each) and the table each fills, TABLE_<stream>, come from the
# file the Java catalogue (io.coinbeam.catalog.CoinCapStream) reads too: `stream table` lines.
STREAMS_FILE  := core/src/main/resources/io/coinbeam/catalog/streams.tsv
STREAM_TABLES := $(shell awk '$$1 !~ /^#/ && NF { print $$1 ":" $$2 }' $(STREAMS_FILE))
ifeq ($(STREAM_TABLES),)
$(error $(STREAMS_FILE) names no streams)
endif
stream_part = $(word $(2),$(subst :, ,$(1)))
STREAMS := $(foreach p,$(STREAM_TABLES),$(call stream_part,$(p),1))
$(foreach p,$(STREAM_TABLES),$(eval TABLE_$(call stream_part,$(p),1) := $(call stream_part,$(p),2)))

TERRAFORM ?= terraform
TF_DIR    := terraform
TF_VARS   := $(TF_DIR)/terraform.tfvars

# Read lazily (recursive variables), so terraform is only asked when a BigQuery target needs it,
# and only from local state: without it `terraform output` prints a warning where the value goes.
tf_output        = $(if $(wildcard $(TF_DIR)/terraform.tfstate),$(shell $(TERRAFORM) -chdir=$(TF_DIR) output -no-color -raw $(1) 2>/dev/null))
GCP_PROJECT      ?= $(or $(GOOGLE_CLOUD_PROJECT),$(call tf_output,project_id))
BQ_DATASET       ?= $(call tf_output,dataset_id)
BQ_TEMP_LOCATION ?= $(call tf_output,temp_location)
BQ_FLAGS = $(if $(GCP_PROJECT),--bigQueryProject=$(GCP_PROJECT)) \
	$(if $(BQ_DATASET),--bigQueryDataset=$(BQ_DATASET)) \
	$(if $(BQ_TEMP_LOCATION),--bigQueryTempLocation=$(BQ_TEMP_LOCATION))

# RUNNER=flink, FlinkRunner or flinkrunner all mean the flink jar; so does --runner=FlinkRunner in ARGS.
ARGS_RUNNER := $(patsubst --runner=%,%,$(filter --runner=%,$(ARGS)))
ifneq ($(ARGS_RUNNER),)
override RUNNER := $(ARGS_RUNNER)
override ARGS := $(filter-out --runner=%,$(ARGS))
endif
runner_id = $(patsubst %runner,%,$(shell echo '$(RUNNER)' | tr 'A-Z' 'a-z'))
RUNNER_ID := $(runner_id)
ifeq ($(filter $(RUNNER_ID),direct flink spark),)
$(error RUNNER=$(RUNNER) is not a runner; use direct, flink or spark)
endif
RUNNER_CLASS_direct := DirectRunner
RUNNER_CLASS_flink  := FlinkRunner
RUNNER_CLASS_spark  := SparkRunner
MODE_FLAG := $(shell echo '$(MODE)' | tr 'a-z' 'A-Z')

# What each runner needs on the command line. Flink [local] and Spark local[*] run inside this JVM,
# which on Java 17 needs some java.base packages opened to them: the list is the file below (one
# package a line, with the why), which io.coinbeam.RunnerJvmFlags reads too.
ADD_OPENS_FILE := pipeline/src/main/resources/io/coinbeam/add-opens.txt
ADD_OPENS := $(foreach p,$(shell grep -v '^[[:space:]]*#' $(ADD_OPENS_FILE)),--add-opens=java.base/$(p)=ALL-UNNAMED)
ifeq ($(ADD_OPENS),)
$(error $(ADD_OPENS_FILE) lists no packages)
endif
RUNNER_JVM_direct :=
RUNNER_JVM_flink  := $(ADD_OPENS)
RUNNER_JVM_spark  := $(ADD_OPENS)
RUNNER_FLAGS_direct :=
RUNNER_FLAGS_flink  := --flinkMaster='$(FLINK_MASTER)' --parallelism=$(PARALLELISM)
RUNNER_FLAGS_spark  := --sparkMaster='$(SPARK_MASTER)'
ifeq ($(MODE_FLAG),STREAMING)
RUNNER_FLAGS_flink  += --checkpointingInterval=$(CHECKPOINT_MS)
RUNNER_FLAGS_spark  += --batchIntervalMillis=$(BATCH_INTERVAL_MS)
# Streaming (issue 4): unbounded runs on every runner, reading Kafka at KAFKA_BOOTSTRAP_SERVERS.
RUNNER_FLAGS_flink  += --streaming=true
RUNNER_FLAGS_spark  += --streaming=true
RUNNER_FLAGS_direct += --kafkaBootstrapServers='$(KAFKA_BOOTSTRAP_SERVERS)'
RUNNER_FLAGS_flink  += --kafkaBootstrapServers='$(KAFKA_BOOTSTRAP_SERVERS)'
RUNNER_FLAGS_spark  += --kafkaBootstrapServers='$(KAFKA_BOOTSTRAP_SERVERS)'
endif
export SPARK_LOCAL_IP ?= 127.0.0.1

# On a cluster the job's files are opened by TaskManagers and executors, whose working folders are
# not this one: a relative INPUT or OUTPUT is made absolute (from here, as a local run reads it);
# absolute paths and URLs (gs://...) stay as they are.
ON_CLUSTER_direct :=
ON_CLUSTER_flink  := $(if $(filter [local] [auto],$(FLINK_MASTER)),,1)
ON_CLUSTER_spark  := $(if $(filter spark://%,$(SPARK_MASTER)),1)
job_path = $(if $(ON_CLUSTER_$(RUNNER_ID)),$(if $(or $(filter /%,$(1)),$(findstring ://,$(1))),$(1),$(CURDIR)/$(patsubst ./%,%,$(1))),$(1))

JAR := pipeline/target/coinbeam-$(RUNNER_ID).jar
# Each jar is rebuilt when its module or one it builds on changes (see pom.xml for the modules).
module_sources = pom.xml $(foreach m,$(1),$(m)/pom.xml $(shell find $(m)/src/main -type f 2>/dev/null))
SOURCES := $(call module_sources,core pipeline)
INGEST_JAR := ingest/target/coinbeam-ingest.jar
SAMPLE_JAR := sample/target/coinbeam-sample.jar
BENCH_JAR  := bench/target/coinbeam-bench.jar
SPARK_PEER_JAR := bench-spark/target/coinbeam-spark-peer.jar

PIPELINE = $(JAVA) $(JAVA_OPTS) $(RUNNER_JVM_$(RUNNER_ID)) -jar $(JAR) \
	--runner=$(RUNNER_CLASS_$(RUNNER_ID)) $(RUNNER_FLAGS_$(RUNNER_ID)) --mode=$(MODE_FLAG) --sinks=$(SINKS) \
	--input='$(call job_path,$(INPUT))' --output='$(call job_path,$(OUTPUT))' $(if $(findstring bigquery,$(SINKS)),$(BQ_FLAGS))

# ---- Local stack (docker compose) --------------------------------------------------------------
COMPOSE  ?= docker compose
# make up SERVICES='kafka postgres grafana flink-taskmanager' starts a subset (and what it needs).
SERVICES ?=
# DRY_RUN=1: per-stream targets, run, up, down, ingest-up print their commands and run nothing.
DRY_RUN  ?=
# What runs in compose containers writes captures/ as you (docker-compose.yml, ingester).
ifeq ($(HOST_UID),)
override HOST_UID := $(shell id -u)
endif
ifeq ($(HOST_GID),)
override HOST_GID := $(shell id -g)
endif
export HOST_UID HOST_GID

ifeq ($(filter $(MODE_FLAG),BATCH STREAMING),)
$(error MODE=$(MODE) is not a mode; use batch or streaming)
endif

shell_quote = '$(subst ','\'',$(1))'
run_or_print = $(if $(DRY_RUN),@printf '%s\n' $(call shell_quote,$(1)),$(1))

# A master on this machine is the compose stack's, and its job runs in the `jobs` container on the
# compose network rather than here: Spark executors must connect back to their driver, which they
# cannot do to a driver on the host, and KafkaIO's client asks kafka:29092 for partitions, a name
# only the compose network resolves. The exception is the cluster `make cluster-up` started: its
# master (recorded in $(CLUSTER_DIR)/<engine>/master, localhost or 127.0.0.1 alike) runs here, so
# the job is submitted from here as to any real cluster. IN_STACK=0 runs the client here anyway
# (another cluster of yours on localhost); IN_STACK=1 forces the stack.
CLUSTER_DIR ?= target/cluster
cluster_master = $(subst localhost:,127.0.0.1:,$(1))
CLUSTER_UP_flink := $(filter $(call cluster_master,FLINK_MASTER=$(FLINK_MASTER)),$(shell cat '$(CLUSTER_DIR)/flink/master' 2>/dev/null))
CLUSTER_UP_spark := $(filter $(call cluster_master,SPARK_MASTER=$(SPARK_MASTER)),$(shell cat '$(CLUSTER_DIR)/spark/master' 2>/dev/null))
IN_STACK_direct :=
IN_STACK_flink  := $(if $(CLUSTER_UP_flink),,$(if $(filter localhost:% 127.0.0.1:% flink-jobmanager:%,$(FLINK_MASTER)),1))
IN_STACK_spark  := $(if $(CLUSTER_UP_spark),,$(if $(filter spark://localhost:% spark://127.0.0.1:% spark://spark-master:%,$(SPARK_MASTER)),1))
IN_STACK ?= $(IN_STACK_$(RUNNER_ID))
override IN_STACK := $(filter 1,$(IN_STACK))

# In the jobs container the jars are at /opt/coinbeam and the repository's data/, captures/ and
# out/ at /coinbeam/... on every container that runs pipeline code (out/ is the coinbeam-out
# volume, not ./out). scripts/in-stack-path.sh turns INPUT and OUTPUT into those paths (relative
# ones taken from the repository root, as on the host; absolute ones and URLs as they are) and
# refuses, with the reason that stops make here, a path the stack's workers cannot see.
in_stack_path = $(shell scripts/in-stack-path.sh $(call shell_quote,$(1)))
in_stack_refusal = $(shell scripts/in-stack-path.sh --check $(1) $(call shell_quote,$($(1))) 2>&1)
stop_if = $(if $(1),$(error $(1)))
ifneq ($(IN_STACK),)
ifeq ($(RUNNER_ID),direct)
$(error IN_STACK=1 needs RUNNER=flink or RUNNER=spark: the DirectRunner has no cluster)
endif
$(foreach v,INPUT OUTPUT,$(call stop_if,$(call in_stack_refusal,$(v))))
endif
STACK_JAR := /opt/coinbeam/coinbeam-$(RUNNER_ID).jar
STACK_JAVA_OPTS ?= -Xmx1g -XX:+UseParallelGC
STACK_ENGINE_flink := flink-taskmanager
STACK_ENGINE_spark := spark-worker
STACK_FLAGS_flink  := --flinkMaster=flink-jobmanager:8081 --parallelism=$(PARALLELISM)
STACK_FLAGS_spark  := --sparkMaster=spark://spark-master:7077
ifeq ($(MODE_FLAG),STREAMING)
STACK_FLAGS_flink  += --checkpointingInterval=$(CHECKPOINT_MS)
STACK_FLAGS_spark  += --batchIntervalMillis=$(BATCH_INTERVAL_MS) --checkpointDir=/coinbeam/checkpoints/spark
STACK_KAFKA := --kafkaBootstrapServers=kafka:29092
endif
STACK_ENGINE_UP = $(COMPOSE) up -d --wait $(STACK_ENGINE_$(RUNNER_ID))
PIPELINE_IN_STACK = $(COMPOSE) run --rm jobs java $(STACK_JAVA_OPTS) $(ADD_OPENS) -jar $(STACK_JAR) \
	--runner=$(RUNNER_CLASS_$(RUNNER_ID)) $(STACK_FLAGS_$(RUNNER_ID)) --filesToStage=$(STACK_JAR) \
	--mode=$(MODE_FLAG) --sinks=$(SINKS) $(STACK_KAFKA) \
	--input='$(call in_stack_path,$(INPUT))' --output='$(call in_stack_path,$(OUTPUT))' \
	$(if $(findstring bigquery,$(SINKS)),$(BQ_FLAGS))

# ---- make help: the targets grouped by purpose ------------------------------------------------
# A target is listed when its rule line ends in `## [group] text`; scripts/make-help.awk prints the
# groups in the order of HELP_GROUPS, each under its HELP_TITLE_<group>, and the targets of a group
# in the order their rules appear in this file. The per-stream rule's text is written once, with
# {stream} and {table}, and listed for every stream. A `## ` comment without a known group makes
# `make help` fail, so a described target is never left out.
HELP_GROUPS := run streams cluster stack cloud dbt develop benchmark
HELP_TITLE_run       := Run the pipeline (and build its jars)
HELP_TITLE_streams   := Kafka and streaming
HELP_TITLE_cluster   := Real Flink or Spark cluster on this machine, no Docker (ENGINE=flink|spark)
HELP_TITLE_stack     := Local stack (docker compose)
HELP_TITLE_cloud     := Databases and cloud (PostgreSQL, BigQuery, Terraform)
HELP_TITLE_dbt       := dbt (staging views and marts on PostgreSQL, BigQuery or DuckDB)
HELP_TITLE_develop   := Develop
HELP_TITLE_benchmark := Benchmark

.PHONY: help
help: ## [develop] List the targets by purpose (what plain `make` does too)
	@echo "coinbeam: CoinCap market data into windowed aggregates with one Beam graph"
	@echo
	@echo "Start here:  make run   (all five streams on the bundled sample, Parquet in ./out)"
	@echo "             make test  (the whole test suite)"
	@echo
	@awk -v groups=$(call shell_quote,$(foreach g,$(HELP_GROUPS),$(g) $(HELP_TITLE_$(g))\n)) \
	  -v streams='$(STREAM_TABLES)' -f scripts/make-help.awk $(MAKEFILE_LIST)
	@echo "Per-stream targets take INPUT= OUTPUT= RUNNER= MODE= SINKS= ARGS= (see README.md)."

# ---- Run: the pipeline over files (or Kafka with MODE=streaming), its report, its jars ----------
.PHONY: run
run: $(if $(DRY_RUN),,$(JAR)) ## [run] All five streams on RUNNER= (default flink [local]), by default in batch over the bundled sample into ./out (INPUT= OUTPUT= MODE= SINKS= ARGS=)
	$(if $(IN_STACK),$(call run_or_print,$(STACK_ENGINE_UP)))
	$(call run_or_print,$(if $(IN_STACK),$(PIPELINE_IN_STACK),$(PIPELINE)) --streams=all $(ARGS))

.PHONY: $(STREAMS)
$(STREAMS): $(if $(DRY_RUN),,$(JAR)) ## [run] One stream, {stream} -> {table} (INPUT= OUTPUT= RUNNER= MODE= SINKS= ARGS=)
	$(if $(IN_STACK),$(call run_or_print,$(STACK_ENGINE_UP)))
	$(call run_or_print,$(if $(IN_STACK),$(PIPELINE_IN_STACK),$(PIPELINE)) --streams=$@ $(ARGS))

# report: the page `make run` ends with, written again from the files alone.
.PHONY: report
report: $(JAR) ## [run] Write report.html into OUTPUT (default out) from the Parquet tables there
	$(JAVA) $(JAVA_OPTS) -cp $(JAR) io.coinbeam.report.ReportWriter --output='$(OUTPUT)'

.PHONY: build
build: $(JAR) ## [run] Build the runner's fat jar, pipeline/target/coinbeam-<runner>.jar (RUNNER=direct|flink|spark, default flink)

$(JAR): $(SOURCES)
	@echo "Building $(JAR) (the first build downloads dependencies; it takes a few minutes)..."
	$(MVN) -P$(RUNNER_ID) -pl pipeline -am package -DskipTests -Dspotless.check.skip=true
	@touch $(JAR)

$(INGEST_JAR): $(call module_sources,core ingest)
	@echo "Building $@..."
	$(MVN) -pl ingest -am package -DskipTests -Dspotless.check.skip=true
	@touch $@

$(SAMPLE_JAR): $(call module_sources,core sample)
	@echo "Building $@..."
	$(MVN) -pl sample -am package -DskipTests -Dspotless.check.skip=true
	@touch $@

# The benchmark's jars build on the pipeline module (direct profile, the default), so this also
# rebuilds pipeline/target/coinbeam-direct.jar.
$(BENCH_JAR) $(SPARK_PEER_JAR) &: $(call module_sources,core ingest sample pipeline bench bench-spark)
	@echo "Building $(BENCH_JAR) and $(SPARK_PEER_JAR)..."
	$(MVN) -pl bench,bench-spark -am package -DskipTests -Dspotless.check.skip=true
	@touch $(BENCH_JAR) $(SPARK_PEER_JAR)

.PHONY: jars tools
jars: ## [run] Build all three runner jars (direct, flink, spark)
	$(MAKE) build RUNNER=direct
	$(MAKE) build RUNNER=flink
	$(MAKE) build RUNNER=spark

tools: $(INGEST_JAR) $(SAMPLE_JAR) ## [run] Build the ingest tools' jar (ingester, replay, broker) and the sample generator's

.PHONY: test
test: jars tools dbt-install ## [develop] Build the three runner jars, the tools and dbt/.venv, then run the whole test suite, including the same-results test across Direct, Flink and Spark
	mvn -B test -Dcoinbeam.runner.jars='$(CURDIR)/pipeline/target' -Dcoinbeam.ingest.jar='$(CURDIR)/$(INGEST_JAR)' -Dcoinbeam.dbt='$(or $(DBT),$(abspath $(DBT_VENV)/bin/dbt))'

.PHONY: lint
lint: dbt-lint ## [develop] Check formatting (google-java-format via Spotless) and the dbt SQL (sqlfluff)
	$(MVN) spotless:check

.PHONY: fmt
fmt: ## [develop] Format all Java sources (google-java-format via Spotless)
	$(MVN) spotless:apply

.PHONY: db-migrate
db-migrate: $(JAR) ## [cloud] Apply the PostgreSQL migrations and check the tables (PG_URL, PG_USER, PG_PASSWORD)
	$(JAVA) -cp $(JAR) io.coinbeam.io.jdbc.PostgresPreflight $(ARGS)

.PHONY: bq-check
bq-check: $(JAR) ## [cloud] Check BigQuery's dataset and tables against the pipeline's schemas (exit 2 if not)
	$(JAVA) -cp $(JAR) io.coinbeam.io.bigquery.BigQueryPreflight $(BQ_FLAGS) $(ARGS)

.PHONY: tf-init tf-plan tf-apply tf-destroy tf-fmt-check tf-vars
tf-init: ## [cloud] Install the Terraform google provider (once, and after versions.tf changes)
	$(TERRAFORM) -chdir=$(TF_DIR) init

tf-plan: tf-vars ## [cloud] Show what tf-apply would change in GCP (reads terraform/terraform.tfvars)
	$(TERRAFORM) -chdir=$(TF_DIR) plan -var-file=terraform.tfvars

tf-apply: tf-vars ## [cloud] Create or update the dataset, tables, bucket and service account in GCP (reads terraform/terraform.tfvars)
	$(TERRAFORM) -chdir=$(TF_DIR) apply -var-file=terraform.tfvars

tf-destroy: tf-vars ## [cloud] Delete what tf-apply made (needs deletion_protection = false applied first)
	$(TERRAFORM) -chdir=$(TF_DIR) destroy -var-file=terraform.tfvars

tf-fmt-check: ## [cloud] Check Terraform formatting (terraform fmt -check)
	$(TERRAFORM) fmt -check -recursive $(TF_DIR)/

tf-vars:
	@test -f $(TF_VARS) || { echo "coinbeam: $(TF_VARS) is missing: cp $(TF_DIR)/terraform.tfvars.example $(TF_VARS) and set project_id" >&2; exit 2; }

# ---- Clusters without Docker (issue 14): scripts/cluster.sh, state in $(CLUSTER_DIR)/<engine>/ ----
# A Flink 1.19 session cluster or a Spark 3.5 standalone cluster from Maven registry jars
# (clusters/flink, clusters/spark; versions from pom.xml), each daemon a JVM of its own on
# 127.0.0.1. cluster-up ends with the FLINK_MASTER=... or SPARK_MASTER=... to pass to make.
ENGINE ?= flink
CLUSTER = CLUSTER_DIR='$(CLUSTER_DIR)' JAVA='$(JAVA)' MVN='$(MVN)' scripts/cluster.sh

.PHONY: cluster-up cluster-down cluster-status
cluster-up: ## [cluster] Start a Flink session or Spark standalone cluster on 127.0.0.1 (ENGINE=flink|spark); prints the FLINK_MASTER= or SPARK_MASTER= for make
	$(CLUSTER) up $(ENGINE)

cluster-down: ## [cluster] Stop everything cluster-up started (ENGINE=flink|spark); logs stay in target/cluster/<engine>/logs
	$(CLUSTER) down $(ENGINE)

cluster-status: ## [cluster] Print the running cluster's master and UI, or fail when none is up (ENGINE=)
	@$(CLUSTER) status $(ENGINE)

.PHONY: up down down-v logs ps ingest-up ingest-down stack-urls
up: ## [stack] Start the local stack: Kafka, PostgreSQL, Flink, Spark, Grafana, Kafka UI (SERVICES= for some; makes .env from .env.example if missing)
	$(call run_or_print,test -f .env || { cp .env.example .env && echo "coinbeam: made .env from .env.example"; })
	$(call run_or_print,mkdir -p captures pipeline/target)
	$(call run_or_print,$(COMPOSE) up -d --wait $(SERVICES))
	@$(if $(DRY_RUN),:,$(MAKE) -s stack-urls)

down: ## [stack] Stop the local stack and remove its containers (data volumes stay)
	$(call run_or_print,$(COMPOSE) --profile ingest --profile jobs down --remove-orphans)

down-v: ## [stack] Stop the local stack and delete its data too (Kafka, PostgreSQL, Grafana, the jobs' output and checkpoints)
	$(call run_or_print,$(COMPOSE) --profile ingest --profile jobs down --remove-orphans --volumes)

logs: ## [stack] Follow the stack's logs (SERVICES='kafka grafana' for some)
	$(call run_or_print,$(COMPOSE) --profile ingest logs --follow --tail=200 $(SERVICES))

ps: ## [stack] List the stack's containers with their health (one-shot ones too)
	$(call run_or_print,$(COMPOSE) --profile ingest ps --all)

ingest-up: ## [stack] Run the ingester in compose, in the background (needs COINCAP_API_KEY in .env)
	@$(if $(DRY_RUN)$(COINCAP_API_KEY),:,{ echo "coinbeam: COINCAP_API_KEY is empty: set it in .env (see .env.example)" >&2; exit 2; })
	$(call run_or_print,$(MAKE) $(INGEST_JAR))
	$(call run_or_print,mkdir -p captures)
	$(call run_or_print,$(COMPOSE) --profile ingest up -d --wait ingester)

ingest-down: ## [stack] Stop the ingester started by ingest-up
	$(call run_or_print,$(COMPOSE) --profile ingest stop ingester)

stack-urls:
	@echo
	@echo "coinbeam stack (logins in .env):"
	@echo "  Grafana          http://localhost:3000   GRAFANA_ADMIN_USER / GRAFANA_ADMIN_PASSWORD"
	@echo "  Flink UI         http://localhost:8081"
	@echo "  Spark master UI  http://localhost:8080   (jobs: spark://localhost:7077)"
	@echo "  Kafka UI         http://localhost:8088   KAFKA_UI_USER / KAFKA_UI_PASSWORD"
	@echo "  Kafka            localhost:9092          (containers: kafka:29092)"
	@echo "  PostgreSQL       localhost:5432/coinbeam PG_USER / PG_PASSWORD"

# --- Kafka: ingester, replay, local broker (issue 4) ------------------------------------------
# They run ingest/target/coinbeam-ingest.jar (plain Java, no Beam). KAFKA_BOOTSTRAP_SERVERS and the
# COINCAP_* / INGEST_* variables are read from the environment (see docs/INGEST.md).
KAFKA_BOOTSTRAP_SERVERS ?= localhost:9092
SPEED     ?= max
# STREAMS is the list of per-stream targets (space-separated) unless given as STREAMS=trades,assets.
comma := ,
empty :=
space := $(empty) $(empty)
STREAMS_REPLAY = $(subst $(space),$(comma),$(strip $(STREAMS)))
KAFKA_PORT ?= 9092
# make ingest FEEDS=binance,binance-aggtrade,coinbase,coinbase-advanced PAIRS=BTC-USDT: exchange
# trade feeds (INGEST_FEEDS, INGEST_PAIRS; per feed INGEST_PAIRS_BINANCE=... in the environment).
FEEDS ?=
PAIRS ?=

.PHONY: ingest replay kafka-local
ingest: $(INGEST_JAR) ## [streams] CoinCap REST + sockets -> Kafka at KAFKA_BOOTSTRAP_SERVERS, every capture kept in captures/ too (needs COINCAP_API_KEY); FEEDS=binance,coinbase PAIRS=BTC-USDT,... adds exchange trade feeds (no key needed)
	KAFKA_BOOTSTRAP_SERVERS='$(KAFKA_BOOTSTRAP_SERVERS)' $(if $(FEEDS),INGEST_FEEDS='$(FEEDS)') $(if $(PAIRS),INGEST_PAIRS='$(PAIRS)') $(JAVA) $(JAVA_OPTS) -cp $(INGEST_JAR) io.coinbeam.ingest.Ingester $(ARGS)

replay: $(INGEST_JAR) ## [streams] Capture files -> Kafka in event-time order (INPUT= STREAMS= SPEED=max, or a multiple of the original pace: 1, 10...)
	$(JAVA) $(JAVA_OPTS) -cp $(INGEST_JAR) io.coinbeam.ingest.Replay --input='$(INPUT)' \
	  --speed='$(SPEED)' --streams='$(STREAMS_REPLAY)' --bootstrap='$(KAFKA_BOOTSTRAP_SERVERS)' $(ARGS)

kafka-local: $(INGEST_JAR) ## [streams] A Kafka broker inside a JVM on localhost:9092 (KAFKA_PORT=), no Docker; Ctrl-C stops it
	$(JAVA) -Xmx1g -cp $(INGEST_JAR) io.coinbeam.broker.LocalKafkaBroker --port=$(KAFKA_PORT) $(ARGS)

# make stream-demo: broker + replay + streaming pipeline, all stopped at the end or on Ctrl-C.
SECONDS     ?= 60
DEMO_SPEED  ?= $(if $(filter max,$(SPEED)),60,$(SPEED))
DEMO_OUTPUT ?= $(if $(filter out,$(OUTPUT)),out/stream-demo,$(OUTPUT))
DEMO_PORT   ?= 19092
DEMO_FLAGS_direct :=
DEMO_FLAGS_flink  := --streaming=true --checkpointingInterval=$(CHECKPOINT_MS)
DEMO_FLAGS_spark  := --streaming=true --batchIntervalMillis=$(BATCH_INTERVAL_MS)
STREAM_DEMO_PIPELINE = $(JAVA) $(JAVA_OPTS) $(RUNNER_JVM_$(RUNNER_ID)) -jar $(JAR) \
	--runner=$(RUNNER_CLASS_$(RUNNER_ID)) $(RUNNER_FLAGS_$(RUNNER_ID)) $(DEMO_FLAGS_$(RUNNER_ID)) \
	--streams=all --sinks=$(SINKS) --output='$(DEMO_OUTPUT)' $(if $(findstring bigquery,$(SINKS)),$(BQ_FLAGS)) $(ARGS)

.PHONY: stream-demo
stream-demo: ## [streams] Broker + replay of the bundled sample + streaming pipeline printing live candles for SECONDS=60 (RUNNER= SPEED=60 SINKS=, default Parquet in out/stream-demo)
	@$(MAKE) --no-print-directory $(INGEST_JAR) build RUNNER=$(RUNNER_ID)
	$(if $(filter parquet,$(subst $(comma), ,$(SINKS))),rm -rf '$(DEMO_OUTPUT)')
	scripts/stream-demo.sh '$(JAVA)' $(INGEST_JAR) 'data/sample/{stream}/*' '$(DEMO_SPEED)' '$(SECONDS)' \
	  '$(DEMO_PORT)' -- $(STREAM_DEMO_PIPELINE)

# --- end of the Kafka block ---------------------------------------------------------------------

.PHONY: sample
sample: $(SAMPLE_JAR) ## [develop] Regenerate the bundled sample in data/sample (deterministic; see data/sample/README.md)
	$(JAVA) -jar $(SAMPLE_JAR) --out data/sample --clean --seed $(SEED) --start 2024-05-07T12:00:00Z \
	  --minutes 30 --trades 3000 --files 3 --streams all

# ---- dbt (issues 7, 19): staging -> marts on PostgreSQL, BigQuery or DuckDB; see dbt/README.md ----
# dbt comes from dbt/.venv (git-ignored), which `make dbt-install` makes on the first run from
# dbt/requirements.txt, pinned by dbt/constraints.txt; later runs reuse it. DBT=dbt (or a path)
# uses a dbt of your own instead and installs nothing.
DBT        ?=
DBT_TARGET ?= postgres
PYTHON     ?= python3
DBT_VENV   := dbt/.venv
DBT_STAMP  := $(DBT_VENV)/.installed
DBT_BIN     = $(or $(DBT),$(DBT_VENV)/bin/dbt)
SQLFLUFF   ?= $(DBT_VENV)/bin/sqlfluff
# Where each target's tables are. duckdb: the pipeline's Parquet output and a DuckDB file beside it.
# PGTZ: PostgreSQL sessions in UTC (libpq reads it), so the marts' text keys print timestamps as
# DuckDB's and BigQuery's do, whatever the server's time zone.
DBT_ENV_postgres = PGTZ=UTC COINBEAM_SOURCE_SCHEMA='$(or $(COINBEAM_SOURCE_SCHEMA),public)'
DBT_ENV_bigquery = COINBEAM_SOURCE_SCHEMA='$(or $(COINBEAM_SOURCE_SCHEMA),$(BQ_DATASET),coinbeam)' $(if $(GCP_PROJECT),GCP_PROJECT='$(GCP_PROJECT)')
DBT_ENV_duckdb   = COINBEAM_PARQUET_ROOT='$(abspath $(OUTPUT))' DBT_DUCKDB_PATH='$(abspath $(OUTPUT))/marts.duckdb'
DBT_RUN = DBT_TARGET=$(DBT_TARGET) $(DBT_ENV_$(DBT_TARGET)) $(DBT_BIN)
DBT_DIRS = --project-dir dbt --profiles-dir dbt --target $(DBT_TARGET)

$(DBT_STAMP): dbt/requirements.txt dbt/constraints.txt
	@echo "coinbeam: installing into $(DBT_VENV) (once, and again when dbt/requirements.txt or dbt/constraints.txt change; a minute or two):" $$(sed -n 's/^\([a-z][a-z0-9-]*==[^ ]*\).*/\1/p' dbt/requirements.txt)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "coinbeam: dbt/.venv needs Python 3.11 or newer (duckdb 2.0 does); set PYTHON= to one" >&2; exit 2; }
	@test -x $(DBT_VENV)/bin/pip || $(PYTHON) -m venv $(DBT_VENV) || { rm -rf $(DBT_VENV); echo "coinbeam: '$(PYTHON) -m venv' failed: install python3-venv (apt-get install python3-venv) or set PYTHON=" >&2; exit 2; }
	$(DBT_VENV)/bin/pip install -q --disable-pip-version-check -r dbt/requirements.txt -c dbt/constraints.txt
	@touch $@

.PHONY: dbt-install dbt-lock dbt-check dbt-build dbt-freshness dbt-docs dbt-lint
dbt-install: $(if $(DBT),,$(DBT_STAMP)) ## [dbt] Install dbt (core, postgres, bigquery, duckdb) and sqlfluff into dbt/.venv, once (DBT= to use your own dbt instead)
	@$(DBT_BIN) --version | grep -E 'installed:|^  - (postgres|bigquery|duckdb):' | sed 's/ - Update available!//; s/ - Up to date!//'

# A new dbt/constraints.txt from a fresh venv of dbt/requirements.txt (after changing a version there).
dbt-lock:
	rm -rf $(DBT_VENV).lock
	$(PYTHON) -m venv $(DBT_VENV).lock
	$(DBT_VENV).lock/bin/pip install -q --disable-pip-version-check -r dbt/requirements.txt
	{ sed -n '1,2p' dbt/constraints.txt; $(DBT_VENV).lock/bin/pip freeze; } > dbt/constraints.txt.new
	mv dbt/constraints.txt.new dbt/constraints.txt
	rm -rf $(DBT_VENV).lock

dbt-check: $(if $(DBT),,$(DBT_STAMP))
	@$(if $(filter $(DBT_TARGET),postgres bigquery duckdb),:,{ echo "coinbeam: DBT_TARGET=$(DBT_TARGET) is not a dbt target; use postgres, bigquery or duckdb" >&2; exit 2; })
	@command -v $(DBT_BIN) >/dev/null 2>&1 || { echo "coinbeam: DBT=$(DBT) is not a command; leave DBT unset to use dbt/.venv" >&2; exit 2; }
	@test -f dbt/profiles.yml || { cp dbt/profiles.example.yml dbt/profiles.yml && echo "coinbeam: made dbt/profiles.yml from dbt/profiles.example.yml"; }
	@$(if $(filter duckdb,$(DBT_TARGET)),for t in $(foreach s,$(STREAMS),$(TABLE_$(s))); do ls '$(OUTPUT)'/$$t/*.parquet >/dev/null 2>&1 || { echo "coinbeam: no Parquet table in $(OUTPUT)/$$t/: run make run (or its stream's target) first or set OUTPUT=" >&2; exit 2; }; done)

dbt-build: dbt-check ## [dbt] dbt build of the staging views, marts and their tests (DBT_TARGET=postgres|bigquery|duckdb; see dbt/README.md)
	$(DBT_RUN) build $(DBT_DIRS) $(ARGS)

dbt-freshness: dbt-check ## [dbt] dbt source freshness of the pipeline's tables (DBT_TARGET=)
	$(DBT_RUN) source freshness $(DBT_DIRS) $(ARGS)

dbt-docs: dbt-check ## [dbt] dbt docs as one page, OUTPUT/dbt-docs/static_index.html (default out/; DBT_TARGET=duckdb needs no server)
	$(DBT_RUN) docs generate --static $(DBT_DIRS) --target-path '$(abspath $(OUTPUT))/dbt-docs' $(ARGS)
	@echo "coinbeam: dbt docs in $(OUTPUT)/dbt-docs/static_index.html"

dbt-lint: $(if $(filter $(DBT_VENV)/%,$(SQLFLUFF)),$(DBT_STAMP)) ## [dbt] Lint the dbt SQL with sqlfluff (config in dbt/.sqlfluff)
	$(SQLFLUFF) lint --processes 1 dbt/models dbt/tests
# --- end of the dbt block -----------------------------------------------------------------------

.PHONY: clean
clean: ## [develop] Remove build output (mvn clean, dbt/target, dbt/logs) and ./out; stops a cluster-up cluster first (its jars and state are in target/)
	@test ! -d '$(CLUSTER_DIR)' || { $(CLUSTER) down flink && $(CLUSTER) down spark; }
	$(MVN) clean
	rm -rf out dbt/target dbt/logs

# ---- Benchmark (issues 9, 13): make bench, make bench QUICK=1 --------------------------------
# The harness is the bench module (bench/target/coinbeam-bench.jar, also the baseline's and DuckDB's
# class path); the native Spark peer is bench-spark. Neither is ever in a runner jar.
# BENCH_JAVA_OPTS: every contender's JVM flags (the same heap for all). BENCH_HARNESS_OPTS: the
# benchmark's own JVM, which holds a size's reference candles and a run's candles to compare them
# (about 1.2 GB each at 3e7 trades), besides the streaming part's broker.
QUICK      ?=
BENCH_ARGS ?=
BENCH_JAVA_OPTS ?= -Xmx2g -XX:+UseParallelGC
BENCH_HARNESS_OPTS ?= -Xmx8g -XX:+UseParallelGC

.PHONY: bench
bench: jars $(BENCH_JAR) $(SPARK_PEER_JAR) ## [benchmark] Throughput per runner vs a plain-Java baseline, native Spark and DuckDB, two data shapes, a streaming ramp; writes docs/BENCHMARKS.md (QUICK=1: a smoke run, which writes it too)
	$(JAVA) $(BENCH_HARNESS_OPTS) -jar $(BENCH_JAR) \
	  $(if $(filter 1 yes true,$(QUICK)),--quick) --jvm-options="$(BENCH_JAVA_OPTS)" $(BENCH_ARGS)
