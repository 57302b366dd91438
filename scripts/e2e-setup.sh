#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, offline-friendly (apt + npm only):
#   - Debian packages: chromium (UI + workbench host), ripgrep (seeds code-server's rg download),
#     libkrb5-dev and pkg-config (native build deps of code-server's modules)
#   - code-server@4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) into .e2e/code-server/,
#     a folder of its own, outside the extension's dependency tree.
# Idempotent: returns within a second when everything is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CS_VERSION="4.100.3"
CS_DIR="$ROOT/.e2e/code-server"
SERVER_MAIN="$CS_DIR/node_modules/code-server/lib/vscode/out/server-main.js"

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e-setup: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f "$SERVER_MAIN" ] && grep -q "\"version\": \"$CS_VERSION\"" "$CS_DIR/node_modules/code-server/package.json" 2>/dev/null; then
  echo "e2e-setup: code-server $CS_VERSION already installed in $CS_DIR"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub; seed its cache with Debian's rg instead.
CACHE_DIR="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
TARBALL="$CACHE_DIR/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$TARBALL" ]; then
  mkdir -p "$CACHE_DIR"
  tmp="$(mktemp -d)"
  cp "$(command -v rg)" "$tmp/rg"
  tar -czf "$TARBALL" -C "$tmp" rg
  rm -rf "$tmp"
fi

mkdir -p "$CS_DIR"
cd "$CS_DIR"
[ -f package.json ] || echo '{ "name": "brickguard-e2e-code-server", "private": true }' > package.json
echo "e2e-setup: npm install code-server@$CS_VERSION (about 80 s)"
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
test -f "$SERVER_MAIN"
echo "e2e-setup: done"
