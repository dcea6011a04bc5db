#!/usr/bin/env bash
# Takes the README's screenshots of the main window, corpus view, experiment dialog, run monitor
# and comparison (light and dark) under Xvfb, driving the workbench with its keyboard shortcuts
# (xdotool) and capturing the screen (ImageMagick's `import`). The import wizard and domain-shift
# screenshots need a file picked and a computation started, and are taken by hand.
#   resources/screenshots/take-screenshots.sh BUILD_DIR PROJECT [OUT_DIR]
# PROJECT: a project with corpora and finished runs, e.g. one made by `transfer-studio-cli demo`.
# It is copied first (the workbench writes nothing into the original). OUT_DIR defaults to this
# folder. Needs xvfb, xdotool and imagemagick (apt).
set -euo pipefail

build=$(realpath "$1")
project=$(realpath "$2")
out=$(realpath "${3:-$(dirname "$0")}")
app="$build/bin/transfer-studio"
readonly width=1300 height=860 display=:97

work=$(mktemp -d)
trap 'kill "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$project" "$work/demo.tstudio"
export XDG_CONFIG_HOME="$work/config" DISPLAY=$display QT_QPA_PLATFORM=xcb

Xvfb $display -screen 0 ${width}x${height}x24 -nolisten tcp &
xvfb_pid=$!
sleep 1

shoot() { sleep "${2:-1.5}"; import -window root "$out/$1.png"; echo "$out/$1.png"; }
key() { xdotool key --clearmodifiers "$@"; sleep 1; }

# Starts the workbench on the copy with `theme` (system, light or dark) and fills the screen.
start() {
    mkdir -p "$XDG_CONFIG_HOME/TransferStudio"
    printf '[view]\ntheme=%s\n' "$1" > "$XDG_CONFIG_HOME/TransferStudio/Transfer Studio.conf"
    "$app" "$work/demo.tstudio" > "$work/app.log" 2>&1 &
    app_pid=$!
    window=$(xdotool search --sync --name 'demo.tstudio' | head -1)
    xdotool windowmove "$window" 0 0 windowsize "$window" $width $height windowfocus "$window"
    sleep 2
}

stop() { kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; }

# The explorer's rows, in order: Corpora, its corpora, Models, its models, Runs, runs and groups.
# Opens the item `down` rows below the first (Return activates it, as a double-click does).
open_item() {
    xdotool mousemove 40 100 click 1
    key Home
    for _ in $(seq "$1"); do xdotool key Down; done
    key Return
}

start light
shoot main-window
open_item 1; shoot corpus-view 3
key ctrl+r; shoot experiment-dialog; key Escape
open_item 17; shoot run-monitor 3
key ctrl+shift+c; shoot comparison 3
stop

start dark
open_item 17
shoot run-monitor-dark 3
key ctrl+shift+c; shoot comparison-dark 3
stop
