# coinbeam: every user-facing command. `make help` lists them.
#
# Per-stream targets take:
#   INPUT=   capture files (path or glob; {stream} is replaced by the stream name)
#   OUTPUT=  Parquet output root (one folder per table)
#   RUNNER=  direct (default) | flink | spark   (FlinkRunner/SparkRunner/DirectRunner also accepted)
#            in-process by default; FLINK_MASTER=host:8081 or SPARK_MASTER=spark://host:7077 for a cluster
#   MODE=    batch (default) | streaming
#   SINKS=   parquet (default); comma-separated
#   ARGS=    any further pipeline flags, e.g. ARGS="--window=5m"

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
	--input='$(INPUT)' --output='$(OUTPUT)'

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

.PHONY: sample
sample: ## Regenerate the bundled sample in data/sample (deterministic; see data/sample/README.md)
	$(MVN) -pl pipeline compile exec:java -Dexec.mainClass=io.coinbeam.sample.SampleGenerator \
	  -Dexec.args="--out data/sample --clean --seed 42 --start 2024-05-07T12:00:00Z --minutes 30 --trades 3000 --files 3 --streams all"

.PHONY: clean
clean: ## Remove build output and ./out
	$(MVN) clean
	rm -rf out
