#!/usr/bin/env bash
# Every GPU check in one script, for a GPU host set up as ../shared/gpu/README.md describes (that
# folder copied to .gpu/): builds against the host's CUDA libtorch, then, each phase under its own
# time limit and logged to $OUT (or /tmp/gpu-out):
#   1. the GPU tests (ctest -L gpu: tests/gpu, on CUDA);
#   2. the GPU training benchmark against Hugging Face (tests/benchmarks/run_gpu_bench.sh);
#   3. the CLI on CUDA: the demo, then a run stopped with SIGINT and resumed;
#   4. the unit tests on this libtorch with CUDA hidden (the CPU paths of libtorch 2.x), for
#      whatever is left of SECONDS (default 560: a device call may last 600 s).
#   [PHASES="tests bench cli unit"] bash tests/gpu/run-gpu-checks.sh [SECONDS]   (PHASES: which of 1-4)
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${OUT:-/tmp/gpu-out}"
build=/tmp/build
budget="${1:-560}"
mkdir -p "$out"
cd "$root" || exit 1
# shellcheck source=/dev/null
source .gpu/env.sh
# SQLite's headers (the documents writer uses its C API): libsqlite3-dev's .deb, beside env.sh.
for deb in .gpu/libsqlite3-dev_*.deb; do dpkg -x "$deb" /tmp/qt; done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader

phases=" ${PHASES:-tests bench cli unit} "
phase() { echo; echo "=== $1 ($(date +%T))"; }
want() { [[ "$phases" == *" $1 "* ]]; }

phase build
start=$SECONDS
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTS_BUILD_GUI=OFF -DCMAKE_PREFIX_PATH="$CMAKE_PREFIX_PATH" \
    -DSQLite3_INCLUDE_DIR=/tmp/qt/usr/include -DSQLite3_LIBRARY=/tmp/qt/usr/lib/x86_64-linux-gnu/libsqlite3.so >"$out/configure.log" 2>&1 ||
    { tail -40 "$out/configure.log"; exit 1; }
# -k 0: a test that does not compile must not keep the others from being built and run.
cmake --build "$build" -j16 --target all bench_training -- -k 0 >"$out/build.log" 2>&1 ||
    grep -E -A12 " error|FAILED" "$out/build.log" | head -80
echo "built in $((SECONDS - start)) s"
[ -x "$build/bin/transfer-studio-cli" ] || exit 1

if want tests; then
    phase "GPU tests"
    timeout 150 ctest --test-dir "$build" -L gpu --output-on-failure -V 2>&1 | tee "$out/gpu-tests.log" |
        grep -E "^[0-9]+: (PASS|FAIL|SKIP|QINFO|QWARN|Totals)|tests passed|Errors" | head -60
fi

if want bench; then
    phase "GPU benchmark"
    timeout 150 bash tests/benchmarks/run_gpu_bench.sh "$build" 2>&1 | tee "$out/gpu-bench.log"
fi

if want cli; then
    phase "CLI on CUDA"
    cli="$build/bin/transfer-studio-cli"
    demo=/tmp/gpu-demo.tstudio
    rm -f "$demo"
    timeout 100 "$cli" demo "$demo" 2>"$out/demo.err" | tee "$out/demo.log"
    tail -5 "$out/demo.err"
    timeout -s INT 12 "$cli" run "$demo" --source books --target electronics --model tiny-encoder --strategy dann \
        --epochs 10 --device cuda --eval-every 20 >"$out/sigint.log" 2>&1
    echo "run after SIGINT: exit $?"; tail -3 "$out/sigint.log"
    id="$("$cli" runs "$demo" --json | python3 -c 'import json,sys; print(max(r["id"] for r in json.load(sys.stdin)))')"
    timeout 60 "$cli" resume "$demo" --run "$id" >"$out/resume.log" 2>&1
    echo "resume of run $id: exit $?"; tail -6 "$out/resume.log"
    "$cli" runs "$demo"
fi

if want unit; then
    phase "unit tests, CUDA hidden"
    left=$((budget - SECONDS))
    echo "$left s left"
    CUDA_VISIBLE_DEVICES= timeout "$left" ctest --test-dir "$build" -L unit -j 14 --timeout "$left" \
        >"$out/unit-tests.log" 2>&1
    grep -E "tests passed|Failed|\*\*\*|Timeout|Not Run" "$out/unit-tests.log" | head -40
fi
echo "done at $(date +%T)"
