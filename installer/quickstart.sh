#!/usr/bin/env bash
# The README's first command: installs what is needed, builds Transfer Studio (Release), creates
# a project in ~/TransferStudio and opens it in the workbench when a display is available.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash installer/install-deps.sh
cmake --preset release
cmake --build --preset release --target transfer-studio-cli transfer-studio

cli="$root/build/release/bin/transfer-studio-cli"
gui="$root/build/release/bin/transfer-studio"
workdir="${TS_QUICKSTART_DIR:-$HOME/TransferStudio}"
project="$workdir/quickstart.tstudio"
mkdir -p "$workdir"
if [ ! -f "$project" ]; then
    "$cli" create "$project"
fi
"$cli" info "$project"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${CI:-}" ]; then
    echo "Opening the workbench on $project"
    "$gui" "$project" &
else
    echo "No display: open the project later with"
    echo "  $gui $project"
fi
