#!/usr/bin/env bash
# Training throughput: the C++ trainer against an equivalent plain PyTorch loop on the same model
# shape, batch and thread count, and the ratio. The two run in turn REPEAT times (default 3) and
# the median ratio is the result: on a shared machine one pair can be off by 10%. Needs the
# benchmarks built (cmake --build --preset release --target bench_training) and python3 with torch
# (Debian's python3-torch is the same libtorch version).
#   [REPEAT=N] bash tests/benchmarks/run_training_bench.sh [BUILD_DIR] [-- shape options, e.g. --layers 4 --batch 16]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/release}"
shift || true
[ "${1:-}" = "--" ] && shift
python="${PYTHON:-/usr/bin/python3}"
ratios=()
for ((i = 1; i <= ${REPEAT:-3}; ++i)); do
    cpp="$("$build/bin/bench_training" "$@")"
    # The same OpenBLAS kernels for both: the ones bench_training chose, as the programs do.
    blas="$(sed -n 's/.* blas=\([^ ]*\) .*/\1/p' <<<"$cpp")"
    py="$(OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-$blas}" "$python" "$here/bench_training_torch.py" "$@")"
    echo "$cpp"
    echo "$py"
    c="$(sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p' <<<"$cpp")"
    p="$(sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p' <<<"$py")"
    ratios+=("$(python3 -c "print(f'{float(\"$c\") / float(\"$p\"):.2f}')")")
done
python3 -c "
import statistics, sys
r = [float(x) for x in sys.argv[1:]]
print(f'C++ / Python = {statistics.median(r):.2f}x median of {\" \".join(sys.argv[1:])} (target >= 1.2x on the CPU)')
" "${ratios[@]}"
