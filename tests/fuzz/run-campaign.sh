#!/usr/bin/env bash
# The long fuzzing campaign (issue 16): runs each libFuzzer target until its campaign totals reach
# CAMPAIGN_EXECS executions (default 10 million) or CAMPAIGN_SECONDS of CPU time (default 7200,
# for the slower targets), on its seeds plus the corpus grown by earlier sessions (tests/fuzz/<target>/corpus).
# A campaign may be spread over several sessions: each session appends one row per target to the
# ledger tests/fuzz/campaign.tsv and continues from the kept corpus, so the totals add up.
# After each target, the grown corpus is minimised (libFuzzer -merge=1) to the inputs that add
# coverage beyond the seeds and kept in the repository when it stays under 4 MB; a larger one is
# kept in CAMPAIGN_OVERFLOW (default build/fuzz-campaign-corpus/<target>, not in git) so that the
# next session on this machine continues from it instead of from the repository's smaller corpus.
# CAMPAIGN_SLICE (seconds, default: no limit) caps one target's share of this session.
# A unit that takes over 60 s counts as a hang (the campaign runs niced on a busy machine: a
# shorter limit reported starved units as hangs).
#
#   usage: tests/fuzz/run-campaign.sh [TARGET...]      run (all targets when none is named)
#          tests/fuzz/run-campaign.sh --table           print the ledger's totals as a Markdown table
# FUZZ_BUILD names a ready build folder with the fuzz_* binaries (default: build/sanitize, built
# with the fuzz preset first).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
fuzz_dir="$root/tests/fuzz"
ledger="$fuzz_dir/campaign.tsv"
goal_execs="${CAMPAIGN_EXECS:-10000000}"
goal_seconds="${CAMPAIGN_SECONDS:-7200}"
overflow="${CAMPAIGN_OVERFLOW:-$root/build/fuzz-campaign-corpus}"
all_targets=(safetensors modelconfig tokenizer tokenize csv jsonl project)

# Sums of a target's ledger rows: "cpu_seconds execs crashes" (the hours that count are the
# fuzzer's CPU time: a niced campaign on a busy machine gets a fraction of the wall clock; a row
# whose CPU time was not measured, "-", counts as 0); the last row's "cov ft corpus".
totals() {
    awk -F'\t' -v t="$1" 'NR > 1 && $3 == t { s += ($5 == "-" ? 0 : $5); e += $6; c += $10 }
        END { printf "%d %d %d\n", s, e, c }' "$ledger"
}
last_coverage() {
    awk -F'\t' -v t="$1" 'NR > 1 && $3 == t { line = $7 " " $8 " " $9 } END { print (line == "" ? "- - -" : line) }' "$ledger"
}

if [ ! -f "$ledger" ]; then
    printf 'date\tcommit\ttarget\twall_seconds\tcpu_seconds\texecs\tcov\tft\tcorpus\tcrashes\tmachine\n' >"$ledger"
fi

if [ "${1:-}" = "--table" ]; then
    echo "| target | executions | CPU hours | coverage (edges / features) | kept inputs | crashes | goal |"
    echo "|---|---:|---:|---|---:|---:|---|"
    for target in "${all_targets[@]}"; do
        read -r seconds execs crashes < <(totals "$target")
        read -r cov ft _ < <(last_coverage "$target")
        kept=$(find "$fuzz_dir/$target/corpus" -type f 2>/dev/null | wc -l || true)
        goal="not yet"
        if [ "$execs" -ge "$goal_execs" ]; then goal="10M executions"; elif [ "$seconds" -ge "$goal_seconds" ]; then goal="2 hours"; fi
        printf '| %s | %d | %.2f | %s / %s | %d | %d | %s |\n' "$target" "$execs" "$(echo "$seconds / 3600" | bc -l)" \
            "$cov" "$ft" "$kept" "$crashes" "$goal"
    done
    exit 0
fi

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
build="${FUZZ_BUILD:-$root/build/sanitize}"
if [ -z "${FUZZ_BUILD:-}" ]; then
    (cd "$root" && cmake --preset fuzz >/dev/null && cmake --build --preset fuzz)
fi
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm # the targets write every input to a scratch file
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
commit="$(git -C "$root" rev-parse --short HEAD)"
machine="$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
failed=0

for target in "${targets[@]}"; do
    read -r done_seconds done_execs _ < <(totals "$target")
    if [ "$done_execs" -ge "$goal_execs" ] || [ "$done_seconds" -ge "$goal_seconds" ]; then
        echo "$target: done ($done_execs executions, $done_seconds s)"
        continue
    fi
    seconds=$((goal_seconds - done_seconds)) # wall clock: at most the CPU time still to go
    [ -n "${CAMPAIGN_SLICE:-}" ] && [ "$CAMPAIGN_SLICE" -lt "$seconds" ] && seconds="$CAMPAIGN_SLICE"
    runs=$((goal_execs - done_execs))
    corpus="$work/$target"
    mkdir -p "$corpus" "$work/$target-artifacts"
    cp "$fuzz_dir/$target/seeds/"* "$corpus/"
    [ -d "$fuzz_dir/$target/corpus" ] && cp "$fuzz_dir/$target/corpus/"* "$corpus/" 2>/dev/null || true
    [ -d "$overflow/$target" ] && cp "$overflow/$target/"* "$corpus/" 2>/dev/null || true
    options=(-runs="$runs" -max_total_time="$seconds" -seed=0 -rss_limit_mb=2048 -timeout=60 -print_final_stats=1
             -artifact_prefix="$work/$target-artifacts/")
    for dict in "$fuzz_dir/$target/"*.dict; do
        [ -f "$dict" ] && options+=(-dict="$dict")
    done
    log="$work/$target.log"
    echo "$target: up to $runs executions or $seconds s"
    start=$(date +%s)
    status=0
    TIMEFORMAT='%U %S' # the fuzzer's user and system CPU seconds
    { time "$build/bin/fuzz_$target" "${options[@]}" "$corpus" >"$log" 2>&1 || status=$?; } 2>"$work/$target.cpu"
    elapsed=$(($(date +%s) - start))
    cpu=$(awk '{ printf "%d", $1 + $2 }' "$work/$target.cpu")
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
    coverage="$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -n1)"
    cov="$(echo "$coverage" | awk '{print $2}')"
    ft="$(echo "$coverage" | awk '{print $4}')"
    crashes=0
    if [ "$status" -ne 0 ]; then
        crashes=1
        failed=1
        mkdir -p "$root/build/fuzz-campaign-artifacts/$target"
        cp "$work/$target-artifacts/"* "$root/build/fuzz-campaign-artifacts/$target/" 2>/dev/null || true
        tail -n 40 "$log"
    fi
    # Minimise: the seeds first, then whatever of the grown corpus adds coverage; keep the rest.
    merged="$work/$target-merged"
    mkdir -p "$merged"
    cp "$fuzz_dir/$target/seeds/"* "$merged/"
    "$build/bin/fuzz_$target" -merge=1 -rss_limit_mb=2048 -timeout=10 "$merged" "$corpus" >"$work/$target-merge.log" 2>&1 || true
    for seed in "$fuzz_dir/$target/seeds/"*; do rm -f "$merged/$(basename "$seed")"; done
    kept=$(find "$merged" -type f | wc -l)
    if [ "$(du -sk "$merged" | cut -f1)" -le 4096 ]; then
        rm -rf "$fuzz_dir/$target/corpus" "$overflow/$target"
        mkdir -p "$fuzz_dir/$target/corpus"
        cp "$merged/"* "$fuzz_dir/$target/corpus/" 2>/dev/null || true
    else
        rm -rf "$overflow/$target"
        mkdir -p "$overflow/$target"
        cp "$merged/"* "$overflow/$target/" 2>/dev/null || true
        echo "$target: the minimised corpus is over 4 MB; kept in $overflow/$target, not in the repository"
    fi
    printf '%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%d\t%d\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$target" "$elapsed" \
        "$cpu" "${execs:-0}" "${cov:--}" "${ft:--}" "$kept" "$crashes" "$machine" >>"$ledger"
    echo "$target: ${execs:-0} executions in $elapsed s ($cpu s of CPU), cov ${cov:--}, ft ${ft:--}, $kept inputs kept, $crashes crashes"
done
exit "$failed"
