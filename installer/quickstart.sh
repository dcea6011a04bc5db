#!/usr/bin/env bash
# The README's first command: installs what is needed, builds Transfer Studio (Release), runs the
# demo transfer experiment offline on the embedded sample corpora, and opens the workbench on its
# project when a display is available.
#   TS_DEMO_DIR    where the demo project goes (default ~/TransferStudio)
#   TS_DEMO_QUICK  set to 1 for tiny settings (a smoke test in seconds)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash installer/install-deps.sh
cmake --preset release
cmake --build --preset release --target transfer-studio-cli transfer-studio

cli="$root/build/release/bin/transfer-studio-cli"
gui="$root/build/release/bin/transfer-studio"
workdir="${TS_DEMO_DIR:-$HOME/TransferStudio}"
mkdir -p "$workdir"
project="$workdir/demo-$(date +%Y%m%d-%H%M%S).tstudio"
quick=()
if [ "${TS_DEMO_QUICK:-0}" = "1" ]; then
    quick=(--quick)
fi
"$cli" demo "$project" "${quick[@]}"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${CI:-}" ]; then
    echo "Opening the workbench on $project"
    "$gui" "$project" &
fi
