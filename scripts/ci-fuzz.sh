#!/bin/sh
# CI fuzz run: 5,000 mutants with a fixed seed; fails on any exception (thrown or
# reported through onError), invalid LSP result or incremental/fresh mismatch.
# Slow requests are printed, never fatal (shared machines are noisy).
# Needs the generated schemas (npm run build). Takes about 1.5 minutes on 2 cores.
set -e
cd "$(dirname "$0")/.."
exec node scripts/fuzz.mjs --mutants "${FUZZ_MUTANTS:-5000}" --seed "${FUZZ_SEED:-20261125}" --ci --quiet "$@"
