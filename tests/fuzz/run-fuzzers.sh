#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset, which shares the sanitize build: clang, ASan +
# UBSan) and runs each for SECONDS (default 60) on a scratch copy of its seed corpus,
# tests/fuzz/<target>/seeds, with its dictionary when there is one. Prints one line per target,
# "target execs exec/s crashes", and exits non-zero when any target crashed, leaked, timed out or
# broke an invariant; the input that did it is kept under build/sanitize/fuzz-artifacts/<target>/
# and its path printed. A crash input belongs in
# tests/fuzz/<target>/crashes/ once fixed: tst_fuzzregressions replays it in every build.
#
# Usage: tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET...]
set -euo pipefail

seconds="${1:-60}"
shift || true
root="$(cd "$(dirname "$0")/../.." && pwd)"
fuzz_dir="$root/tests/fuzz"
build="$root/build/sanitize"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(safetensors modelconfig tokenizer tokenize csv jsonl project)
fi

cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

# The targets write every input to a scratch file: keep those on a RAM disk when there is one.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"
logs="$build/fuzz-logs"
mkdir -p "$logs"

failed=0
summary=()
for target in "${targets[@]}"; do
    corpus="$work/$target"
    mkdir -p "$corpus" "$artifacts/$target"
    cp "$fuzz_dir/$target/seeds/"* "$corpus/"
    # A fixed seed (FUZZ_SEED, default 1) makes a CI failure repeatable; 0 lets libFuzzer pick one.
    options=(-max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
             -artifact_prefix="$artifacts/$target/")
    for dict in "$fuzz_dir/$target/"*.dict; do
        [ -f "$dict" ] && options+=(-dict="$dict")
    done
    log="$logs/$target.log"
    echo "fuzz_$target: ${seconds} s (log: $log)"
    status=0
    "$build/bin/fuzz_$target" "${options[@]}" "$corpus" >"$log" 2>&1 || status=$?
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)"
    crashes=0
    if [ "$status" -ne 0 ]; then
        crashes=1
        failed=1
        tail -n 60 "$log"
        grep -E '^(artifact_prefix|Test unit written to)' "$log" || true
    fi
    summary+=("$target ${execs:-?} ${rate:-?} $crashes")
done

echo "target execs exec/s crashes"
printf '%s\n' "${summary[@]}"
exit "$failed"
