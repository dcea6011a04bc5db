#!/usr/bin/env bash
# The on-demand 100-kill mode of the crash tests (issue 16): SIGKILL lands KILLS times (default
# 100) in each of import, training, compaction and the workbench's own process while it trains;
# after every kill the test checks the integrity of the project, that no committed row was lost and
# that a killed run resumes to the uninterrupted run's metrics. Prints one summary line per test
# and exits non-zero when any fails. Set TS_CRASH_SEED to replay a campaign.
#   usage: bash tests/reliability/run-kill-campaign.sh [BUILD_DIR] [KILLS] [TEST...]
# TEST: crashimport, crashtraining, crashcompaction, crashgui (default: all four).
set -uo pipefail
build="${1:-build/release}"
kills="${2:-100}"
shift 2 2>/dev/null || shift $#
declare -A folder=([crashimport]=slow [crashtraining]=slow [crashcompaction]=slow [crashgui]=gui)
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(crashimport crashtraining crashcompaction crashgui)
status=0
for test in "${tests[@]}"; do
    [ -n "${folder[$test]:-}" ] || { echo "error: unknown test $test" >&2; exit 2; }
    binary="$build/bin/test_${folder[$test]}_$test"
    if [[ ! -x "$binary" ]]; then
        echo "error: $binary is missing: build the project first (cmake --build $build)" >&2
        exit 2
    fi
    log="$(mktemp)"
    start=$(date +%s)
    TS_CRASH_KILLS="$kills" QT_QPA_PLATFORM=offscreen OMP_NUM_THREADS=1 QTEST_FUNCTION_TIMEOUT=86400000 \
        "$binary" >"$log" 2>&1
    rc=$?
    verdict=$([[ $rc -eq 0 ]] && echo passed || echo FAILED)
    summary="$(grep -E 'were killed' "$log" | sed 's/^QINFO *: [^)]*) //')"
    printf '%-20s %s in %ds: %s\n' "$test" "$verdict" $(( $(date +%s) - start )) "$summary"
    if [[ $rc -ne 0 ]]; then
        grep -E '^(FAIL|   Loc)' "$log" | head -5
        status=1
    fi
    rm -f "$log"
done
exit $status
