# Quarry: `make demo` runs a real generation round on the local stack; `make test` runs all tests.
# Every target sets up what it needs (idempotent, cached under .quarry/).
SHELL := /bin/bash
export QUARRY_HOME ?= $(CURDIR)/.quarry
# Tools the set-up scripts install (the Temporal CLI) land here.
export PATH := $(QUARRY_HOME)/bin:$(PATH)
MVN ?= mvn -B
METHOD ?= quest

.PHONY: fmt setup docker gvisor sandbox-image temporal-cli temporal-server model tiny-model chromium trainer trainer-test trainer-worker build demo test crash-check chaos scale scale-methods multi-worker cluster-check bench-adaptive down

setup: docker sandbox-image temporal-cli model tiny-model

docker:
	@scripts/ensure-docker.sh

# gVisor (runsc) registered as a Docker runtime, for sandbox.runtime: runsc and its test suites.
gvisor: sandbox-image
	@scripts/ensure-gvisor.sh || { rc=$$?; [ $$rc -eq 3 ] && echo "gVisor cannot run on this machine: its test suites skip"; [ $$rc -eq 3 ]; }

sandbox-image: docker
	@sandbox-images/build-image.sh python
	@sandbox-images/build-image.sh cpp

temporal-cli:
	@scripts/ensure-temporal.sh

# The Temporal Server built from its Go module (the cluster check, and the mTLS test: the CLI's dev
# server has no server-side TLS).
temporal-server:
	@scripts/ensure-temporal-server.sh

model:
	@scripts/ensure-model.sh

tiny-model:
	@scripts/ensure-tiny-model.sh

chromium:
	@scripts/ensure-chromium.sh

# The Python trainer worker's venv (torch, TRL, PEFT, temporalio): .quarry/trainer-venv.
trainer:
	@scripts/ensure-trainer.sh

# Its unit tests (data formats, GGUF merge writer, a LoRA step on the tiny model).
trainer-test: trainer tiny-model temporal-server
	cd trainer && $(QUARRY_HOME)/trainer-venv/bin/python -m pytest -q tests

# A foreground Python trainer worker on the local dev server (trainer.backend: python).
trainer-worker: trainer
	scripts/trainer-worker.sh

build:
	$(MVN) -q -DskipTests install

# Formats every Java file (google-java-format via Spotless); the build refuses unformatted code.
fmt:
	$(MVN) -q spotless:apply

demo: setup build
	./quarry dev up
	@if [[ "$(METHOD)" == *-scripted ]]; then scripts/fake-llm.sh up; fi
	./quarry run start --config examples/$(METHOD).yaml --id $(METHOD)-$$(date +%Y%m%d-%H%M%S) --wait

# The tests use the tiny generated model, not SmolLM2. The Python trainer's tests run first; the
# Maven suite starts the trainer worker itself for the closed-loop tests.
test: docker gvisor sandbox-image temporal-cli temporal-server tiny-model chromium trainer trainer-test
	$(MVN) install

# Kill -9 the worker mid-round, restart it, and compare the run with an undisturbed one.
crash-check: setup build
	scripts/crash-survival.sh

# Seeded runs with worker, Temporal, dockerd, LLM-server and full-disk faults, each compared with
# an undisturbed run (scripts/chaos.sh). Needs root. CHAOS_RUNS=1 for a quick pass.
CHAOS_RUNS ?= 5
chaos: docker sandbox-image temporal-cli tiny-model build
	CHAOS_RUNS=$(CHAOS_RUNS) scripts/chaos.sh

# The scale benchmark: 1,000 then 10,000 candidates on a private stack (scripted LLM and sandbox,
# so it measures the orchestration): candidates/s, worker RSS, history and payload limits.
# SCALE_SIZES="1000 10000" by default; takes about 40 min on 2 shared cores.
scale: temporal-cli build
	scripts/scale-run.sh

# A 2,000-prompt round of each method (QueST with K=1) on the same private stack: history events,
# bytes and run time per method (docs/architecture.md has the figures).
scale-methods: temporal-cli build
	SCALE_METHODS="quest scalequest sparq" SCALE_SIZES=2000 SCALE_K=1 scripts/scale-run.sh

# Adaptive against fixed solver rollouts on the same seeds, mixed-difficulty scripted solver, no
# Docker (docs/adaptive-rollouts.md). Last line: adaptive: adaptive_tokens_saved=… adaptive_rows_kept=…
# About 8 minutes on 2 shared cores; ADAPTIVE_Z=1.96 stops at confidence too.
bench-adaptive: temporal-cli build
	bench/adaptive.sh

# Three workers on the same queues, one killed with SIGKILL mid-round; compared with an undisturbed
# run of the same config (no Docker, no model: about 3 minutes). CI runs MULTI_PROMPTS=16.
MULTI_PROMPTS ?= 24
multi-worker: temporal-cli build
	MULTI_PROMPTS=$(MULTI_PROMPTS) scripts/multi-worker.sh

# Quarry on a Temporal cluster (PostgreSQL, four separate Temporal services, SeaweedFS as the S3
# store, one worker process per queue with private homes): QueST, ScaleQuest and SPARQ runs on
# the cluster, through kill -9 of each Temporal service, PostgreSQL and worker hosts, compared with
# the same runs on the dev server. Prints `cluster: N/N runs identical` last. See docs/deploy-cluster.md
# for run times by CLUSTER_PROMPTS (a larger size: make cluster-check CLUSTER_PROMPTS=400).
CLUSTER_PROMPTS ?= 16
cluster-check: temporal-cli build
	CLUSTER_PROMPTS=$(CLUSTER_PROMPTS) scripts/cluster-check.sh

# How busy Quarry keeps an LLM endpoint (fake: latency L, C slots): QueST with Docker against the
# bound min(C/L, sandbox capacity), and Quarry against distilabel 1.5.3 (own venv) with execution
# scripted away; CPU per LLM request. Prints `pipeline: bound_c16=.. bound_c64=.. vs_distilabel=..`
# last; 8-25 min on 2 shared cores (PIPE_SLOTS=16 for one C). See docs/scale.md.
.PHONY: bench-pipeline
bench-pipeline: docker sandbox-image temporal-cli build
	bench/pipeline.sh

# Candidates/s on the cluster vs the dev server, with the CPU split, for 1,000 and 10,000
# candidates, and with a second sandbox worker (not in CI: hours on 2 cores; BENCH_SIZES=1000 for
# a shorter run). The table goes to docs/deploy-cluster.md.
.PHONY: cluster-bench
cluster-bench: temporal-cli build
	scripts/cluster-bench.sh

down:
	./quarry dev down
	@scripts/fake-llm.sh down

# Deployment (deploy/README.md). The worker image is built offline: a debootstrapped Debian +
# JRE base imported locally, the jars layered on top. deploy-check validates the compose file
# and the Kubernetes manifests without starting anything.
.PHONY: worker-image deploy-check
worker-image: docker
	$(MVN) -q -DskipTests package
	@deploy/images/build-worker-image.sh

deploy-check:
	deploy/compose/validate.sh
	deploy/k8s/validate.sh

# The compose stack for real: quarry-postgres and quarry-temporal built offline (debootstrapped
# Debian base, the Temporal server built from Go), deploy/compose up with Debian's docker-compose,
# a QueST run on the scripted fake LLM and sandbox from the host, then down -v. Prints
# `compose: run completed, N rows` last; ~45 s with warm caches, ~4 min building every image.
.PHONY: temporal-images compose-check
temporal-images: docker temporal-server
	@deploy/images/build-temporal-images.sh

compose-check: docker temporal-cli temporal-server build
	scripts/compose-check.sh
