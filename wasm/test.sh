#!/usr/bin/env bash
# Tests of the WebAssembly module and the browser editor (see docs/wasm.md):
#   (a) wasm-bindgen-test tests of every export in headless Chromium (wasm/tests/web.rs, built
#       with `--features full`);
#   (b) node --test: the editor's pure functions, the parity of the wasm exports with the CLI's
#       `--format json`, and the end-to-end test of the page in headless Chromium.
# Runs wasm/build.sh first (idempotent) and installs Debian's chromium + chromium-driver when
# missing. Screenshots of the end-to-end states go to test-output/wasm-e2e/ (git-ignored).
# Honours CARGO_TARGET_DIR.
set -euo pipefail

WASM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$WASM_DIR/.." && pwd)"
TARGET=wasm32-unknown-unknown
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

step() { printf '\n==> %s\n' "$*"; }

step "build"
bash "$WASM_DIR/build.sh"

step "chromium and chromedriver"
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "installed: $(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/chromedriver --version | cut -d' ' -f1-2)"
else
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: chromium and chromium-driver are missing; install them as root" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

step "(a) wasm-bindgen-test: the exports in headless Chromium"
(
    cd "$ROOT"
    CHROMEDRIVER=/usr/bin/chromedriver \
    WASM_BINDGEN_TEST_WEBDRIVER_JSON="$WASM_DIR/webdriver.json" \
    WASM_BINDGEN_TEST_TIMEOUT=600 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$WASM_DIR/.tools/bin/wasm-bindgen-test-runner" \
        cargo test -p ram-policy-wasm --target "$TARGET" --test web --features full
)

step "(b) node --test: editor functions, wasm/CLI parity, end to end"
(cd "$ROOT" && cargo build --quiet --bin ram-policy)
export RAM_POLICY_BIN="$CARGO_TARGET_DIR/debug/ram-policy"
export SCREENSHOT_DIR="$ROOT/test-output/wasm-e2e"
rm -rf "$SCREENSHOT_DIR"
cd "$WASM_DIR"
node --test --test-concurrency=1 test/unit.test.mjs test/parity.test.mjs test/e2e.test.mjs
echo "screenshots: ${SCREENSHOT_DIR#"$ROOT/"}/"
