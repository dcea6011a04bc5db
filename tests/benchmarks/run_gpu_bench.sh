#!/usr/bin/env bash
# GPU training throughput: the C++ trainer (bf16 autocast) against Hugging Face's eager
# BertForSequenceClassification loop (bf16 autocast, fused AdamW) on the same shapes, in the same
# script on the same GPU, and the ratio; MFU for each. Needs bench_training built against a CUDA
# libtorch and python3 with torch + transformers.
#   bash tests/benchmarks/run_gpu_bench.sh [BUILD_DIR] [--compile]   (--compile: also HF + torch.compile)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/release}"
compile="${2:-}"
python="${PYTHON:-python3}"
ratio() {
    local c p
    c="$(sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p' <<<"$1")"
    p="$(sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p' <<<"$2")"
    python3 -c "print(f'  C++ / $3 = {float(\"$c\") / float(\"$p\"):.2f}x')"
}
# name, then the shape options both programs take.
shapes=(
    "bert-base|--layers 12 --hidden 768 --heads 12 --intermediate 3072 --vocab 30522 --batch 32 --seq 128"
    "minilm-l6|--layers 6 --hidden 384 --heads 12 --intermediate 1536 --vocab 30522 --batch 32 --seq 128"
)
for entry in "${shapes[@]}"; do
    name="${entry%%|*}"
    read -r -a shape <<<"${entry#*|}"
    echo "== $name"
    cpp="$("$build/bin/bench_training" "${shape[@]}" --steps 60 --warmup 10 --device cuda)"
    plain="$(TS_ADAMW=plain "$build/bin/bench_training" "${shape[@]}" --steps 60 --warmup 10 --device cuda)"
    hf="$("$python" "$here/bench_training_hf.py" "${shape[@]}" --steps 60 --warmup 10)"
    echo "$cpp"
    echo "${plain/cpp /cpp-plain-adamw }"
    echo "$hf"
    ratio "$cpp" "$hf" "HF eager"
    ratio "$plain" "$hf" "HF eager (C++ with per-parameter AdamW)"
    if [ "$compile" = "--compile" ]; then
        hfc="$("$python" "$here/bench_training_hf.py" "${shape[@]}" --steps 60 --warmup 10 --compile)"
        echo "$hfc"
        ratio "$cpp" "$hfc" "HF torch.compile"
    fi
done
