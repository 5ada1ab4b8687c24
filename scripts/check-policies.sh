#!/usr/bin/env bash
# The policy gates CI runs: format, strict compile, lint, unit tests, and a committed wasm that
# matches its sources. Prints one line per gate; exits non-zero when any gate that ran failed.
set -uo pipefail
cd "$(dirname "$0")/.."
OPA="${OPA:-$PWD/tools/bin/opa}"
REGAL="${REGAL:-$PWD/tools/bin/regal}"
[ -x "$OPA" ] || { echo "opa not found at $OPA: run npm run tools:install" >&2; exit 2; }
failed=0
gate() { # name command...
  local name=$1; shift
  if out=$("$@" 2>&1); then echo "policy gate $name: ok"; else echo "$out"; echo "policy gate $name: FAILED"; failed=1; fi
}

gate "opa fmt --fail" "$OPA" fmt --fail --list policies
gate "opa check --strict" "$OPA" check --strict --ignore dist policies
gate "opa test" "$OPA" test --ignore dist policies
if [ -x "$REGAL" ]; then
  gate "regal lint" "$REGAL" lint policies
else
  echo "policy gate regal lint: NOT RUN (regal is not installed: the Go module proxy refuses github.com/open-policy-agent/regal here)"
fi

fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
if bash scripts/build-policies.sh "$fresh" >/dev/null; then
  if cmp -s "$fresh/plantproof.wasm" policies/dist/plantproof.wasm && cmp -s "$fresh/checks.json" policies/dist/checks.json; then
    echo "policy gate committed wasm is current: ok"
  else
    echo "policy gate committed wasm is current: FAILED (policies/dist is stale: run npm run policies:build and commit)"
    failed=1
  fi
else
  echo "policy gate build: FAILED"; failed=1
fi
exit $failed
