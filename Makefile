# Trading-bot infrastructure. `make help` lists every target.
# Every target calls the one entry point, tbctl (scripts/tbctl), which drives
# terraform, AWS and the local emulator; make only sets up and passes options.

SHELL        := bash
.SHELLFLAGS  := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS    += --no-print-directory

ENV        ?=
TARGET     ?= local
LOCAL_PORT ?= 4599
PYTHON     ?= python3
VENV       ?= .venv
CHECKOV_VENV ?= .venv-checkov
TBCTL      := $(VENV)/bin/tbctl

export TBCTL_ROOT := $(CURDIR)
# This checkout's package wins over whatever the virtualenv's editable install points at
# (tests run copies of the repo with one shared virtualenv).
export PYTHONPATH := $(CURDIR)/scripts$(if $(PYTHONPATH),:$(PYTHONPATH))
export TARGET LOCAL_PORT
# Terraform must not phone home: only loopback traffic from this repo.
export CHECKPOINT_DISABLE := 1
export TF_IN_AUTOMATION := 1

# Optional arguments, passed only when set.
opt = $(if $(strip $(2)),$(1) "$(2)")
ARGS_RELEASE = $(call opt,--tag,$(TAG)) $(call opt,--image-tag,$(IMAGE_TAG))

PIP_LOG := build/pip.log
MKDIR_BUILD = mkdir -p build 2>/dev/null || { echo "error: cannot create the folder build (a file of that name, or no permission). Fix: move or delete the file build, or make this folder writable" >&2; exit 1; }

##@ Set-up

$(VENV)/.installed: pyproject.toml
	@$(MKDIR_BUILD)
	@echo "setting up $(VENV) (log: $(PIP_LOG))"
	@$(PYTHON) -m venv $(VENV) || { echo "error: cannot create $(VENV) with $(PYTHON). Fix: install python3-venv, or set PYTHON=<python3.10+>" >&2; exit 1; }
	@$(VENV)/bin/pip install -q -e '.[dev]' >$(PIP_LOG) 2>&1 || { tail -5 $(PIP_LOG) >&2; echo "error: installing the package failed. Fix: see $(PIP_LOG)" >&2; exit 1; }
	@touch $@

# checkov pins old boto3/botocore; it lives in its own virtualenv so it never downgrades ours.
$(CHECKOV_VENV)/.installed:
	@$(MKDIR_BUILD)
	@echo "setting up $(CHECKOV_VENV) (checkov, isolated)"
	@$(PYTHON) -m venv $(CHECKOV_VENV)
	@$(CHECKOV_VENV)/bin/pip install -q 'checkov>=3.2,<4' >build/pip-checkov.log 2>&1 || { tail -5 build/pip-checkov.log >&2; echo "error: installing checkov failed. Fix: see build/pip-checkov.log" >&2; exit 1; }
	@touch $@

# A virtualenv outside this checkout (VENV=/path, as the tests pass) is used as it is:
# re-installing would point its editable install at this checkout.
VENV_STAMP := $(if $(filter $(CURDIR)/%,$(abspath $(VENV))),$(VENV)/.installed,)

.PHONY: setup
setup: $(VENV_STAMP) ## create .venv and install the package (other targets do this when needed)
	@[ -x $(TBCTL) ] || { echo "error: $(TBCTL) is missing. Fix: run make setup with VENV inside this checkout, or install the package into $(VENV)" >&2; exit 1; }

# The port tbctl will use (target.local_port: TBCTL_LOCAL_PORT, else LOCAL_PORT), shown by help.
HELP_PORT = $(or $(TBCTL_LOCAL_PORT),$(LOCAL_PORT))

.PHONY: help
help: ## list every target
	@awk -v port='$(HELP_PORT)' 'BEGIN {FS = ":.*## "} /^##@/ {printf "\n%s\n", substr($$0, 5)} /^[a-zA-Z0-9_-]+:.*## / {text = $$2; gsub(/\$$\(LOCAL_PORT\)/, port, text); printf "  %-18s %s\n", $$1, text}' $(MAKEFILE_LIST)
	@echo ""
	@echo "Variables: ENV=dev|prod (ENV=all only where a target says so)  TARGET=local|aws  TAG=<git tag>  IMAGE_TAG=<tag>"
	@echo "           TO=<tag|previous>  KEEP=<n>  TIMEOUT=<s>  DRY_RUN=1  CONFIRM=production  LOCK_ID=<id>  PR=<n>  PLAN_JSON=<file>"
	@echo "           NAME=<doc>  FROM=/TO=<env>  LOCAL_PORT=$(HELP_PORT)"

##@ Local AWS (moto)

.PHONY: local-up local-down
local-up: setup ## start the local AWS emulator on 127.0.0.1:$(LOCAL_PORT)
	@$(TBCTL) local-up

local-down: ## stop the local AWS emulator
	@if [ -x $(TBCTL) ]; then $(TBCTL) local-down; else echo "local AWS emulator was not running"; fi

##@ Terraform

.PHONY: plan apply bootstrap lint fmt unlock
plan: setup ## plan ENV (dev, prod, or ENV=all for both); saves the plan and its JSON under build/
	@$(TBCTL) plan --env "$(ENV)"

apply: setup ## apply ENV: the plan saved by `make plan` if fresh, else plan and apply (CONFIRM=production on AWS)
	@$(TBCTL) apply --env "$(ENV)" $(call opt,--confirm,$(CONFIRM))

unlock: setup ## release ENV's state lock left by a run that died (LOCK_ID=<id from the lock error>)
	@$(TBCTL) unlock --env "$(ENV)" $(call opt,--lock-id,$(LOCK_ID))

bootstrap: setup ## create what the backends need (state bucket, registry); automatic on TARGET=local
	@$(TBCTL) bootstrap

lint: setup $(CHECKOV_VENV)/.installed ## terraform fmt/validate, checkov (Terraform + plans), config documents (ENV=all, the default, or one)
	@$(TBCTL) lint $(call opt,--env,$(ENV)) --checkov $(CHECKOV_VENV)/bin/checkov

TERRAFORM_BIN = $(or $(TERRAFORM),terraform)

fmt: ## rewrite Terraform files in canonical format
	@command -v $(TERRAFORM_BIN) >/dev/null || { echo "error: terraform is not installed or not on PATH. Fix: install Terraform 1.10 or newer, or set TERRAFORM=/path/to/terraform" >&2; exit 1; }
	@$(TERRAFORM_BIN) fmt -recursive infrastructure

##@ Releases (task definitions)

.PHONY: render diff deploy rollback status prune preflight
render: setup ## render ENV's task definitions to build/ and validate them
	@$(TBCTL) render --env "$(ENV)" $(ARGS_RELEASE)

diff: setup ## what the next deploy of ENV changes in the task definition (exit 1: differs)
	@$(TBCTL) diff --env "$(ENV)" $(ARGS_RELEASE)

deploy: setup ## apply, render, register (if changed), update the service, wait for the rollout
	@CONFIRM="$(CONFIRM)" $(TBCTL) deploy --env "$(ENV)" $(ARGS_RELEASE) $(call opt,--timeout,$(TIMEOUT))

rollback: setup ## move ENV's service to the revision of TO=<git tag> or TO=previous
	@$(TBCTL) rollback --env "$(ENV)" --to "$(TO)"

status: setup ## ENV's (or ENV=all: every environment's) running revision, git tag and commit, counts, rollout state
	@$(TBCTL) status --env "$(ENV)"

prune: setup ## deregister revisions older than the newest KEEP (default 10), never the one in use
	@$(TBCTL) prune --env "$(ENV)" --keep "$(or $(KEEP),10)"

preflight: setup ## check the caller's identity and permissions for deploy and plan
	@$(TBCTL) preflight --env "$(ENV)"

##@ Pull requests

.PHONY: comment
comment: setup ## render ENV's plan comment; posts it when in a pull request (or PR=<n>)
	@$(TBCTL) comment --env "$(ENV)" $(call opt,--plan-json,$(PLAN_JSON)) $(call opt,--pr,$(PR))

##@ Runtime configuration store

.PHONY: config-check config-push config-pull config-versions config-rollback config-sync
config-check: setup ## validate the config documents (ENV=all, the default, or one)
	@$(TBCTL) config-check $(call opt,--env,$(ENV))

config-push: setup ## upload ENV's changed config documents
	@$(TBCTL) config-push --env "$(ENV)"

config-pull: setup ## download and verify NAME from ENV's store
	@$(TBCTL) config-pull --env "$(ENV)" --name "$(NAME)"

config-versions: setup ## list NAME's versions in ENV's store, newest first
	@$(TBCTL) config-versions --env "$(ENV)" --name "$(NAME)"

config-rollback: setup ## make version TO of NAME current again in ENV
	@$(TBCTL) config-rollback --env "$(ENV)" --name "$(NAME)" --to "$(TO)"

config-sync: setup ## copy FROM's config to TO (never into production)
	@$(TBCTL) config-sync --from "$(FROM)" --to "$(TO)"

##@ Quality

.PHONY: test test-unit bench clean
test: setup ## run every test: unit, terraform test, integration on the local target
	@$(VENV)/bin/pytest -q $(PYTEST_ARGS)

test-unit: setup ## only the fast tests (no terraform, no emulator)
	@$(VENV)/bin/pytest -q -m "not integration" $(PYTEST_ARGS)

bench: setup ## speed figures as ratios to a baseline measured in the same run
	@$(VENV)/bin/python -m bench

# The standard library is enough for clean, so it works without (or after removing) the virtualenv.
CLEAN_PYTHON = $(if $(wildcard $(VENV)/bin/python),$(VENV)/bin/python,$(PYTHON))

clean: ## stop this checkout's emulators; remove what tbctl made in build/ (keeps .venv, never touches state/)
	@$(CLEAN_PYTHON) -m tbctl.clean
