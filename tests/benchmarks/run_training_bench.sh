#!/usr/bin/env bash
# Training throughput: the C++ trainer against an equivalent plain PyTorch loop on the same model
# shape, batch and thread count, and the ratio. Needs the benchmarks built
# (cmake --build --preset release --target bench_training) and python3 with torch (Debian's
# python3-torch is the same libtorch version).
#   bash tests/benchmarks/run_training_bench.sh [BUILD_DIR] [-- shape options, e.g. --layers 4 --batch 16]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/release}"
shift || true
[ "${1:-}" = "--" ] && shift
python="${PYTHON:-/usr/bin/python3}"
cpp="$("$build/bin/bench_training" "$@")"
# The same OpenBLAS kernels for both: the ones bench_training chose, as the programs do.
blas="$(sed -n 's/.* blas=\([^ ]*\) .*/\1/p' <<<"$cpp")"
py="$(OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-$blas}" "$python" "$here/bench_training_torch.py" "$@")"
echo "$cpp"
echo "$py"
c="$(sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p' <<<"$cpp")"
p="$(sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p' <<<"$py")"
python3 -c "print(f'C++ / Python = {float(\"$c\") / float(\"$p\"):.2f}x (target >= 1.2x on the CPU)')"
