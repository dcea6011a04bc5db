#!/usr/bin/env bash
# Training throughput: the C++ trainer against an equivalent plain PyTorch loop on the same model
# shape, batch and thread count, in fp32 and in bf16 (the trainer's --precision bf16 against
# PyTorch under torch.autocast('cpu', dtype=torch.bfloat16)), and the ratios. The four programs run
# in turn REPEAT times (default 3) and the median of each ratio is the result: on a shared machine
# one run can be off by 10% or more. bf16 runs only where the CPU has AVX512-BF16 or AMX
# (PRECISIONS="fp32" skips it). Needs the benchmarks built (cmake --build --preset release
# --target bench_training) and a Python with torch (PYTHON=..., default python3; Debian's
# python3-torch is the same libtorch version as the C++ build).
#   [REPEAT=N] [PRECISIONS="fp32 bf16"] [PYTHON=python] bash tests/benchmarks/run_training_bench.sh [BUILD_DIR] [-- shape options, e.g. --layers 4 --batch 16]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/release}"
shift || true
[ "${1:-}" = "--" ] && shift
python="${PYTHON:-/usr/bin/python3}"
precisions="${PRECISIONS:-fp32 bf16}"
if [[ " $precisions " == *" bf16 "* ]] && ! grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo; then
    echo "this CPU has neither AVX512-BF16 nor AMX: fp32 only"
    precisions="fp32"
fi
rate() { sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p' <<<"$1"; }
declare -A runs # "side precision" -> samples/s of each repeat, space-separated
for ((i = 1; i <= ${REPEAT:-3}; ++i)); do
    for p in $precisions; do
        cpp="$("$build/bin/bench_training" --precision "$p" "$@")"
        # The same OpenBLAS kernels for both: the ones bench_training chose, as the programs do.
        blas="$(sed -n 's/.* blas=\([^ ]*\) .*/\1/p' <<<"$cpp")"
        # And the same number of threads (libtorch 1.13 and PyTorch 2.x choose differently).
        threads="$(sed -n 's/.* threads=\([0-9]*\) .*/\1/p' <<<"$cpp")"
        py="$(OMP_NUM_THREADS="$threads" OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-$blas}" "$python" \
              "$here/bench_training_torch.py" --precision "$p" "$@")"
        echo "$cpp"
        echo "$py"
        runs["cpp $p"]+="$(rate "$cpp") "
        runs["py $p"]+="$(rate "$py") "
    done
done
args=()
for p in $precisions; do
    args+=("cpp_$p=${runs["cpp $p"]}" "py_$p=${runs["py $p"]}")
done
python3 - "${args[@]}" <<'PY'
import statistics, sys
runs = {k: [float(x) for x in v.split()] for k, v in (a.split("=", 1) for a in sys.argv[1:])}
def ratio(a, b, note=""):
    if a not in runs or b not in runs:
        return
    pairs = [x / y for x, y in zip(runs[a], runs[b])]
    print(f"{a.replace('_', ' ')} / {b.replace('_', ' ')} = {statistics.median(pairs):.2f}x median of "
          f"{' '.join(f'{r:.2f}' for r in pairs)}{note}")
for k, v in runs.items():
    print(f"{k.replace('_', ' ')}: samples/s median {statistics.median(v):.2f} (runs: {' '.join(f'{x:.2f}' for x in v)})")
ratio("cpp_fp32", "py_fp32", " (target >= 1.2x on the CPU)")
ratio("cpp_bf16", "py_bf16", " (target >= 1.2x on the CPU)")
ratio("cpp_bf16", "py_fp32")
ratio("cpp_bf16", "cpp_fp32", " (what bf16 gains the trainer)")
ratio("py_bf16", "py_fp32", " (what bf16 gains PyTorch)")
PY
