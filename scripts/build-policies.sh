#!/usr/bin/env bash
# Compiles policies/ into the committed wasm module and the checks' metadata, so Node alone runs
# everything. Usage: build-policies.sh [OUT_DIR]   (default policies/dist)
set -euo pipefail
cd "$(dirname "$0")/.."
OPA="${OPA:-$PWD/tools/bin/opa}"
[ -x "$OPA" ] || { echo "opa not found at $OPA: run npm run tools:install" >&2; exit 2; }
OUT="${1:-policies/dist}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One entrypoint per check (its `results` rule), so Node can run checks separately and on several threads,
# plus the aggregate plantproof/main for `opa eval` and the benchmark's comparison.
entrypoints=(-e plantproof/main)
while IFS= read -r pkg; do
  entrypoints+=(-e "${pkg//.//}/results")
done < <(grep -rhoE --include='*.rego' --exclude='*_test.rego' '^package plantproof\.checks\.[a-z0-9_]+\.[a-z0-9_]+$' policies \
  | sed 's/^package //' | sort)
"$OPA" build -t wasm "${entrypoints[@]}" --ignore '*_test.rego' --ignore dist policies -o "$work/bundle.tar.gz"
tar -xzf "$work/bundle.tar.gz" -C "$work" /policy.wasm 2>/dev/null || tar -xzf "$work/bundle.tar.gz" -C "$work" policy.wasm
"$OPA" inspect --annotations --format json "$work/bundle.tar.gz" > "$work/inspect.json"

mkdir -p "$OUT"
cp "$work/policy.wasm" "$OUT/plantproof.wasm"
node scripts/extract-check-metadata.mjs "$work/inspect.json" > "$OUT/checks.json"
echo "built $OUT/plantproof.wasm ($(wc -c < "$OUT/plantproof.wasm") bytes) and $OUT/checks.json ($(node -e "console.log(Object.keys(JSON.parse(require('fs').readFileSync('$OUT/checks.json','utf8'))).length)") checks)"
