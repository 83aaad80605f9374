# Shared settings for the project's scripts. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# A warm target directory outside the clone, so that CI and fresh clones on
# the same machine do not rebuild SQLCipher and Tauri from scratch.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.casevault-build/target}"
export PATH="$HOME/.cargo/bin:$PATH"

# The debug app binary the end-to-end tests drive, built by the Tauri CLI so
# that it serves the bundled UI rather than the dev-server URL.
export CASEVAULT_APP_BIN="$CARGO_TARGET_DIR/debug/casevault-app"
export CASEVAULT_CLI_BIN="$CARGO_TARGET_DIR/debug/casevault"

step() { printf '\n==> %s\n' "$*" >&2; }
