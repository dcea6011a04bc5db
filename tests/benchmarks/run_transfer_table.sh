#!/usr/bin/env bash
# Issue 14's table: all-MiniLM-L6-v2 on four FDU-MTL pairs x 3 seeds x {source-only, dapt, dann,
# self-training, joint-mlm} as one benchmark group, then the table (rows = pairs, columns =
# strategies, mean ± std of target test accuracy) on stdout and as CSV and LaTeX next to PROJECT.
# 60 runs: hours on a CPU. Ctrl+C stops after the current batch; run it again with --resume and
# only the unfinished runs run.
#   bash tests/benchmarks/run_transfer_table.sh PROJECT [--resume]
# Environment: BUILD (default build/release), DATA (default ../shared/data/fdu-mtl), MODEL_DIR
# (default ~/TransferStudio/models/all-MiniLM-L6-v2, where installer/fetch-minilm.sh puts it),
# SEEDS (3), EPOCHS (2), MAX_TRAIN (0: all), DEVICE (auto), NICE (10: the niceness the runs get).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
project="${1:?usage: run_transfer_table.sh PROJECT [--resume]}"
resume="${2:-}"
[ -z "$resume" ] || [ "$resume" = "--resume" ] || { echo "error: unknown argument $resume" >&2; exit 2; }
cli="${BUILD:-$root/build/release}/bin/transfer-studio-cli"
data="${DATA:-$root/../shared/data/fdu-mtl}"
model_dir="${MODEL_DIR:-$HOME/TransferStudio/models/all-MiniLM-L6-v2}"
pairs="music:video,camera_photo:software,apparel:baby,imdb:MR"
strategies="source-only,dapt,dann,self-training,joint-mlm"
group_file="$project.benchmark-group" # the group's id, for --resume
run() { nice -n "${NICE:-10}" "$cli" "$@"; }

[ -x "$cli" ] || { echo "error: $cli is missing; build the transfer-studio-cli target" >&2; exit 1; }

# The table files are new files: written by the run that finishes the group.
tables=()
[ -e "$project.table.csv" ] || tables+=(--csv "$project.table.csv")
[ -e "$project.table.tex" ] || tables+=(--latex "$project.table.tex")

if [ -n "$resume" ]; then
    [ -f "$group_file" ] || { echo "error: $group_file is missing: no benchmark of $project to resume" >&2; exit 1; }
    run benchmark "$project" --resume "$(cat "$group_file")" "${tables[@]}"
    exit
fi

[ -e "$project" ] && { echo "error: $project exists; give a new project, or --resume" >&2; exit 1; }
[ -d "$data" ] || { echo "error: $data is missing (the FDU-MTL corpora, see ../shared/data/README.md)" >&2; exit 1; }
[ -f "$model_dir/config.json" ] || { echo "error: $model_dir has no config.json (bash installer/fetch-minilm.sh)" >&2; exit 1; }
run create "$project"
tsv=(--format tsv --no-header --label-column 0 --text-column 1)
for domain in $(tr ',:' '  ' <<<"$pairs"); do
    encoding=()
    [ "$domain" = MR ] && encoding=(--encoding windows-1252) # MR's files are not UTF-8
    run import "$project" --corpus "$domain" --file "$data/$domain.task.train" "${tsv[@]}" "${encoding[@]}" --split 0.9,0.1,0
    run import "$project" --corpus "$domain" --file "$data/$domain.task.test" "${tsv[@]}" "${encoding[@]}" --split-name test
    run import "$project" --corpus "$domain" --file "$data/$domain.task.unlabel" --format txt --unlabeled "${encoding[@]}"
done
run add-model "$project" --hf-dir "$model_dir" --name minilm

# The group's id comes first in the output; it is saved before the runs start so that --resume
# finds it after Ctrl+C or a crash. The reader ignores Ctrl+C: the CLI stops after its batch and
# must still have a reader for its last lines. pipefail gives the CLI's exit code (130 when stopped).
run benchmark "$project" --model minilm --pairs "$pairs" --strategies "$strategies" --seeds "${SEEDS:-3}" \
    --epochs "${EPOCHS:-2}" --lr 5e-5 --max-length 128 --batch-size 16 --max-train "${MAX_TRAIN:-0}" \
    --device "${DEVICE:-auto}" "${tables[@]}" |
    (
        trap '' INT
        while IFS= read -r line; do
            if [[ "$line" =~ ^benchmark\ group\ ([0-9]+): ]]; then echo "${BASH_REMATCH[1]}" >"$group_file"; fi
            echo "$line"
        done
    )
