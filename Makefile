# coinbeam: every user-facing command. `make help` lists them.
#
# Per-stream targets take:
#   INPUT=   capture files (path or glob; {stream} is replaced by the stream name)
#   OUTPUT=  Parquet output root (one folder per table)
#   RUNNER=  direct (default) | flink | spark   (FlinkRunner/SparkRunner/DirectRunner also accepted)
#            in-process by default; FLINK_MASTER=host:8081 or SPARK_MASTER=spark://host:7077 for a cluster
#   MODE=    batch (default) | streaming
#   SINKS=   parquet (default), bigquery; comma-separated, e.g. SINKS=parquet,bigquery
#   ARGS=    any further pipeline flags, e.g. ARGS="--window=5m"
#
# With SINKS=bigquery (and for bq-check), where BigQuery is; each defaults to the Terraform output
# of the same meaning once `make tf-apply` has run, so nothing needs typing after that:
#   GCP_PROJECT=       project (else $GOOGLE_CLOUD_PROJECT, else Terraform's project_id)
#   BQ_DATASET=        dataset (else Terraform's dataset_id, else the pipeline's default coinbeam)
#   BQ_TEMP_LOCATION=  gs:// folder for load-job files (else Terraform's temp_location)

SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN       ?= mvn -B -q
JAVA      ?= java
JAVA_OPTS ?= -Xmx4g -XX:+UseParallelGC
INPUT     ?= data/sample/{stream}/*
OUTPUT    ?= out
RUNNER    ?= direct
MODE      ?= batch
SINKS     ?= parquet
ARGS      ?=
SEED      ?= 42
FLINK_MASTER ?= [local]
SPARK_MASTER ?= local[*]
PARALLELISM  ?= 2
# Streaming only: Flink checkpoint interval and Spark micro-batch interval, in milliseconds.
CHECKPOINT_MS     ?= 30000
BATCH_INTERVAL_MS ?= 1000

STREAMS := trades assets rates exchanges markets

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
# which on Java 17 needs these packages opened to them.
ADD_OPENS := $(foreach p,java.util java.lang java.nio sun.nio.ch java.lang.invoke sun.util.calendar java.util.concurrent,--add-opens=java.base/$(p)=ALL-UNNAMED)
RUNNER_JVM_direct :=
RUNNER_JVM_flink  := $(ADD_OPENS)
RUNNER_JVM_spark  := $(ADD_OPENS)
RUNNER_FLAGS_direct :=
RUNNER_FLAGS_flink  := --flinkMaster='$(FLINK_MASTER)' --parallelism=$(PARALLELISM)
RUNNER_FLAGS_spark  := --sparkMaster='$(SPARK_MASTER)'
ifeq ($(MODE_FLAG),STREAMING)
RUNNER_FLAGS_flink  += --checkpointingInterval=$(CHECKPOINT_MS)
RUNNER_FLAGS_spark  += --batchIntervalMillis=$(BATCH_INTERVAL_MS)
endif
export SPARK_LOCAL_IP ?= 127.0.0.1

JAR := pipeline/target/coinbeam-$(RUNNER_ID).jar
SOURCES := pom.xml pipeline/pom.xml $(shell find pipeline/src/main -type f 2>/dev/null)

PIPELINE = $(JAVA) $(JAVA_OPTS) $(RUNNER_JVM_$(RUNNER_ID)) -jar $(JAR) \
	--runner=$(RUNNER_CLASS_$(RUNNER_ID)) $(RUNNER_FLAGS_$(RUNNER_ID)) --mode=$(MODE_FLAG) --sinks=$(SINKS) \
	--input='$(INPUT)' --output='$(OUTPUT)' $(if $(findstring bigquery,$(SINKS)),$(BQ_FLAGS))

.PHONY: help
help: ## List the targets
	@echo "coinbeam: CoinCap market data into windowed aggregates with one Beam graph"
	@echo
	@echo "Start here:  make run   (all five streams on the bundled sample, Parquet in ./out)"
	@echo "             make test  (the whole test suite)"
	@echo
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'
	@printf "  %-12s %s\n" "trades" "One stream; likewise assets, rates, exchanges, markets"
	@echo
	@echo "Per-stream targets take INPUT= OUTPUT= RUNNER= MODE= SINKS= ARGS= (see README.md)."

.PHONY: build
build: $(JAR) ## Build the runner's fat jar (RUNNER=direct|flink|spark)

$(JAR): $(SOURCES)
	@echo "Building $(JAR) (the first build downloads dependencies; it takes a few minutes)..."
	$(MVN) -P$(RUNNER_ID) package -DskipTests -Dspotless.check.skip=true
	@touch $(JAR)

.PHONY: run
run: $(JAR) ## All five streams in batch on the DirectRunner over the bundled sample into ./out
	rm -rf '$(OUTPUT)'
	$(PIPELINE) --streams=all $(ARGS)

.PHONY: $(STREAMS)
$(STREAMS): $(JAR)
	$(PIPELINE) --streams=$@ $(ARGS)

.PHONY: jars
jars: ## Build all three runner jars (direct, flink, spark)
	$(MAKE) build RUNNER=direct
	$(MAKE) build RUNNER=flink
	$(MAKE) build RUNNER=spark

.PHONY: test
test: jars ## Run the whole test suite, including the same-results test across Direct, Flink and Spark
	mvn -B test -Dcoinbeam.runner.jars='$(CURDIR)/pipeline/target'

.PHONY: lint
lint: ## Check formatting (google-java-format via Spotless)
	$(MVN) spotless:check

.PHONY: fmt
fmt: ## Format all Java sources
	$(MVN) spotless:apply

.PHONY: bq-check
bq-check: $(JAR) ## Check BigQuery's dataset and tables against the pipeline's schemas (exit 2 if not)
	$(JAVA) -cp $(JAR) io.coinbeam.io.bigquery.BigQueryPreflight $(BQ_FLAGS) $(ARGS)

.PHONY: tf-init tf-plan tf-apply tf-destroy tf-fmt-check tf-vars
tf-init: ## Install the Terraform google provider (once, and after versions.tf changes)
	$(TERRAFORM) -chdir=$(TF_DIR) init

tf-plan: tf-vars ## Show what tf-apply would change in GCP (reads terraform/terraform.tfvars)
	$(TERRAFORM) -chdir=$(TF_DIR) plan -var-file=terraform.tfvars

tf-apply: tf-vars ## Create or update the dataset, tables, bucket and service account in GCP
	$(TERRAFORM) -chdir=$(TF_DIR) apply -var-file=terraform.tfvars

tf-destroy: tf-vars ## Delete what tf-apply made (needs deletion_protection = false applied first)
	$(TERRAFORM) -chdir=$(TF_DIR) destroy -var-file=terraform.tfvars

tf-fmt-check: ## Check Terraform formatting (terraform fmt -check)
	$(TERRAFORM) fmt -check -recursive $(TF_DIR)/

tf-vars:
	@test -f $(TF_VARS) || { echo "coinbeam: $(TF_VARS) is missing: cp $(TF_DIR)/terraform.tfvars.example $(TF_VARS) and set project_id" >&2; exit 2; }

.PHONY: sample
sample: ## Regenerate the bundled sample in data/sample (deterministic; see data/sample/README.md)
	$(MVN) -pl pipeline compile exec:java -Dexec.mainClass=io.coinbeam.sample.SampleGenerator \
	  -Dexec.args="--out data/sample --clean --seed 42 --start 2024-05-07T12:00:00Z --minutes 30 --trades 3000 --files 3 --streams all"

.PHONY: clean
clean: ## Remove build output and ./out
	$(MVN) clean
	rm -rf out

# ---- Benchmark (issue 9): make bench, make bench QUICK=1 ------------------------------------
# Runs from the Direct jar; the native Spark peer lives in src/spark/java, in the Spark jar only.
QUICK      ?=
BENCH_ARGS ?=
BENCH_JAVA_OPTS ?= -Xmx2g -XX:+UseParallelGC
pipeline/target/coinbeam-spark.jar: $(shell find pipeline/src/spark -type f 2>/dev/null)

.PHONY: bench
bench: jars ## Throughput per runner vs a plain-Java baseline and native Spark; writes docs/BENCHMARKS.md (QUICK=1: smoke run)
	$(JAVA) $(BENCH_JAVA_OPTS) -cp pipeline/target/coinbeam-direct.jar io.coinbeam.bench.Benchmark \
	  $(if $(filter 1 yes true,$(QUICK)),--quick) $(BENCH_ARGS)
