# IotTelemetry: every command a user or CI needs. Each target installs what it needs first.
SHELL := /bin/bash
CONFIG ?= Release
DOTNET := DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 dotnet
NAB := $(abspath ../shared/data/nab)
DATA ?= $(NAB)
LABELS ?= $(NAB)/combined_windows.json
OUT ?= artifacts/eval
SKAB ?= $(wildcard $(abspath ../shared/data/skab))

.PHONY: run test bench fuzz soak eval build setup-run setup-test clean

## make run: the whole pipeline on its embedded default with a simulated plant (DURATION=s, DATA_DIR=path, LAKE=disk|azurite)
run: setup-run
	@echo "==> dotnet: building ($(CONFIG))"
	@$(DOTNET) build tools/IotTelemetry.Demo -c $(CONFIG) --nologo -v quiet -clp:ErrorsOnly
	@$(DOTNET) tools/IotTelemetry.Demo/bin/$(CONFIG)/net10.0/iott-demo.dll

## make test: unit, integration and end-to-end tests against real mosquitto, mock Kafka, DuckDB, node-opcua
test: setup-test
	@echo "==> dotnet: building ($(CONFIG))"
	@$(DOTNET) build IotTelemetry.sln -c $(CONFIG) --nologo -v quiet -clp:ErrorsOnly
	@echo "==> dotnet: testing"
	@rm -rf artifacts/test-results
	@$(DOTNET) test IotTelemetry.sln -c $(CONFIG) --no-build --nologo \
	   --logger "trx" --logger "console;verbosity=normal" --results-directory artifacts/test-results; \
	 rc=$$?; scripts/test-summary.sh artifacts/test-results; exit $$rc

## make bench: throughput, latency and the edge agent's memory against baselines measured in the same run (ARGS=edgemem ...)
bench: setup-test
	@$(DOTNET) build tests/IotTelemetry.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
	@$(DOTNET) tests/IotTelemetry.Benchmarks/bin/Release/net10.0/iott-bench.dll $(ARGS)

## make fuzz COUNT=n SEED=s AFL_SECONDS=n: mutated JSON and Sparkplug payloads into the agent's parsers in process and
## through mosquitto into the agent, then the parsers under AFL++ (SharpFuzz) for AFL_SECONDS
COUNT ?= 100000
SEED ?= 1
AFL_SECONDS ?= 120
fuzz:
	@scripts/setup.sh fuzz
	@$(DOTNET) build tools/IotTelemetry.Fuzz.Cli -c Release --nologo -v quiet -clp:ErrorsOnly
	@$(DOTNET) tools/IotTelemetry.Fuzz.Cli/bin/Release/net10.0/iott-fuzz.dll --count=$(COUNT) --seed=$(SEED) $(FUZZ_ARGS)
	@scripts/fuzz-afl.sh $(AFL_SECONDS)

## make soak DURATION=s RATE=n SEED=s OUTAGE=s ...: the processes of make run under load and a seeded fault schedule,
## then every acknowledged reading reconciled with the lake through DuckDB (README: make soak)
soak: setup-run
	@$(DOTNET) build tools/IotTelemetry.Soak -c Release --nologo -v quiet -clp:ErrorsOnly
	@$(DOTNET) tools/IotTelemetry.Soak/bin/Release/net10.0/iott-soak.dll

## make eval DATA=<dir> LABELS=<file> OUT=<dir> SKAB=<dir> EVAL_ARGS=...: NAB in-sample and cross-validated, SKAB protocol
eval: setup-run
	@$(DOTNET) build tools/IotTelemetry.Eval.Cli -c Release --nologo -v quiet -clp:ErrorsOnly
	@$(DOTNET) run --project tools/IotTelemetry.Eval.Cli -c Release --no-build -- --data "$(DATA)" --labels "$(LABELS)" --out "$(OUT)" $(if $(SKAB),--skab "$(SKAB)") $(EVAL_ARGS)

build: setup-run
	@$(DOTNET) build IotTelemetry.sln -c $(CONFIG) --nologo -clp:ErrorsOnly

setup-run:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

clean:
	@$(DOTNET) clean IotTelemetry.sln -v quiet --nologo
	@rm -rf artifacts
