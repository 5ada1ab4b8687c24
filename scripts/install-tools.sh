#!/usr/bin/env bash
# Installs the pinned OPA CLI (and Regal, where the Go module proxy serves it) into tools/bin.
# Idempotent: a tool already at the pinned version is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
OPA_VERSION=v1.22.2
REGAL_VERSION=v0.36.1
BIN="$PWD/tools/bin"
mkdir -p "$BIN"

have_version() { # tool version
  [ -x "$BIN/$1" ] && "$BIN/$1" version 2>/dev/null | grep -q "${2#v}"
}

if have_version opa "$OPA_VERSION"; then
  echo "opa $OPA_VERSION already in tools/bin"
else
  echo "installing opa $OPA_VERSION with go install"
  GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "github.com/open-policy-agent/opa@$OPA_VERSION"
fi

if have_version regal "$REGAL_VERSION"; then
  echo "regal $REGAL_VERSION already in tools/bin"
elif GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "github.com/open-policy-agent/regal@$REGAL_VERSION" 2>/tmp/regal-install.err; then
  echo "installed regal $REGAL_VERSION"
else
  # Keep going: every other policy gate still runs. check-policies.sh reports regal as not run.
  echo "regal $REGAL_VERSION could not be installed: $(tail -n 1 /tmp/regal-install.err)" >&2
fi
