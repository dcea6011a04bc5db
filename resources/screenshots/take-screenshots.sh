#!/usr/bin/env bash
# Walks through the workbench's main flows under Xvfb at the window's default size, in the light
# and the dark theme, with the keyboard only (xdotool), and writes one PNG per screen (ImageMagick's
# `import`): NAME.png in the light theme, NAME-dark.png in the dark one. The README's screenshots
# are these files.
#   resources/screenshots/take-screenshots.sh BUILD_DIR PROJECT [OUT_DIR]
# PROJECT: the project the README describes (`transfer-studio-cli demo`: three seeds per strategy,
# then a DANN run and a label-budget sweep); run 1 is the pre-training run, run 11 the first DANN
# run of the demo. It is copied for each theme: the
# workbench writes nothing into the original. OUT_DIR defaults to this folder. Needs xvfb, xdotool and
# imagemagick (apt).
# Where Slurm is installed (installer/install-deps.sh), it also starts a one-node cluster
# (tests/slurm/cluster.sh) and submits to it from another copy of the project: a 2x2 benchmark
# array, collected, and a run still training: slurm-jobs.png (the project panel's "Slurm jobs") and
# slurm-monitor.png (the run monitor drawing the running job's progress.jsonl).
set -euo pipefail

build=$(realpath "$1")
project=$(realpath "$2")
out=$(realpath "${3:-$(dirname "$0")}")
samples=$(realpath "$(dirname "$0")/../samples")
cluster_script=$(realpath "$(dirname "$0")/../../tests/slurm/cluster.sh")
app="$build/bin/transfer-studio"
cli="$build/bin/transfer-studio-cli"
readonly display=:97
readonly width=1200 height=780           # MainWindow's default size
readonly screen_width=1280 screen_height=800

work=$(mktemp -d)
cleanup() {
    kill "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true
    if [ -n "${SLURM_CONF:-}" ]; then bash "$cluster_script" stop "$work/cluster" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
export DISPLAY=$display QT_QPA_PLATFORM=xcb XDG_RUNTIME_DIR="$work"
chmod 700 "$work"

Xvfb $display -screen 0 ${screen_width}x${screen_height}x24 -nolisten tcp &
xvfb_pid=$!
sleep 1

suffix=""
# Writes the window's area of the screen (dialogs open over it) as OUT_DIR/NAME[-dark].png.
shoot() {
    sleep "${2:-1.5}"
    import -window root -crop ${width}x${height}+0+0 +repage "$out/$1$suffix.png"
    echo "$out/$1$suffix.png"
}
key() { xdotool key --clearmodifiers "$@"; sleep 0.8; }
type_text() { xdotool type --delay 20 "$1"; sleep 0.5; }
# Xvfb has no window manager to give a new window the keyboard: `open_dialog KEY TITLE` presses
# KEY in the main window and gives the keyboard to the window called TITLE that it opens.
open_dialog() {
    key "$1"
    xdotool windowfocus --sync "$(xdotool search --sync --onlyvisible --name "^$2\$" | head -1)"
    sleep 0.5
}
close_dialog() {
    key Escape
    xdotool windowfocus --sync "$window"
    sleep 0.5
}

# Starts the workbench on a fresh copy of the project (`2`: of the one with Slurm jobs) with
# `theme` (light or dark) and no remembered settings, so that it opens at its default size with
# no tabs restored.
start() {
    # The journal goes with the copy it belongs to: a WAL left by the previous walk (the workbench is
    # killed) would be replayed into the fresh copy and damage it.
    rm -rf "$work/config" "$work/demo.tstudio" "$work/demo.tstudio-wal" "$work/demo.tstudio-shm"
    cp "${2:-$project}" "$work/demo.tstudio"
    cp "$samples/electronics.test.tsv" "$work/"
    export XDG_CONFIG_HOME="$work/config"
    mkdir -p "$XDG_CONFIG_HOME/TransferStudio"
    printf '[view]\ntheme=%s\n' "$1" > "$XDG_CONFIG_HOME/TransferStudio/Transfer Studio.conf"
    "$app" "$work/demo.tstudio" > "$work/app-$1.log" 2>&1 &
    app_pid=$!
    window=$(xdotool search --sync --name 'demo.tstudio' | head -1)
    xdotool windowmove "$window" 0 0 windowfocus "$window"
    sleep 2
}

stop() {
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
    if grep -q . "$work/app-$1.log"; then
        echo "the workbench wrote in the $1 theme:" >&2
        cat "$work/app-$1.log" >&2
    fi
}

# Opens the project explorer's item whose name starts with `text` (Ctrl+E focuses the explorer,
# typing jumps to a name, Return opens it as a double-click does).
open_item() {
    key ctrl+e
    type_text "$1"
    key Return
}

walk() {
    start "$1"
    shoot main-window 2
    open_item electronics; shoot corpus-view 3

    # Import the electronics test reviews again: the file's name picks the corpus and the split,
    # and the report says where the duplicates already are.
    open_dialog ctrl+i "Import a Corpus"
    type_text "$work/electronics.test.tsv"
    key Return; shoot import-wizard
    key Return; shoot import-destination
    key Return; shoot import-report 4
    close_dialog

    key ctrl+shift+d
    key alt+o; shoot domain-shift 8

    open_dialog ctrl+shift+m "Models"; shoot add-model 2; close_dialog
    open_dialog ctrl+r "New Experiment"; shoot experiment-dialog 2; close_dialog

    open_item "Run 1 "; shoot run-monitor-pretraining 3
    open_item "Run 11 "; shoot run-monitor 3
    key alt+e; shoot run-monitor-results 2
    key alt+t; shoot run-monitor-texts 2
    key alt+n

    key ctrl+shift+c; shoot comparison 3
    key alt+s; shoot comparison-summary
    key alt+l; shoot comparison-label-budget
    stop "$1"
}

# The project with Slurm jobs: the cluster's first job is the benchmark array (collected), then
# a run (job `run_job`) that would train for a quarter of an hour (the screens are taken while it runs;
# stopping the cluster cancels it).
prepare_slurm() {
    if ! command -v sbatch >/dev/null || { ! command -v slurmctld >/dev/null && [ ! -x /usr/sbin/slurmctld ]; }; then
        echo "Slurm is not installed: no Slurm screenshots" >&2
        return 1
    fi
    export "$(bash "$cluster_script" start "$work/cluster")"
    slurm_project="$work/slurm.tstudio"
    cp "$project" "$slurm_project"
    local small=(--model tiny-encoder --max-train 128 --max-eval 32 --max-length 32 --eval-every 2 --threads 1)
    "$cli" submit "$slurm_project" --slurm --job-dir "$work/jobs/benchmark" --benchmark \
        --pairs books:electronics,electronics:books --strategies source-only,freeze --epochs 2 "${small[@]}"
    until "$cli" jobs "$slurm_project" | grep -Eq ' (completed|failed|cancelled|timeout) '; do sleep 2; done
    "$cli" collect "$slurm_project"
    run_job=$("$cli" submit "$slurm_project" --slurm --job-dir "$work/jobs/run" --source books --target electronics \
        --strategy source-only --name "on the cluster" --epochs 1000 "${small[@]}" |
        sed -n 's/^submitted Slurm job \([0-9]*\):.*/\1/p')
    until [ "$(cat "$work/jobs/run/cell-0/progress.jsonl" 2>/dev/null | grep -c '"type":"progress"')" -gt 30 ]; do
        sleep 2
    done
    # The project panel shows the state last stored: running.
    "$cli" jobs "$slurm_project"
}

# The project panel with its Slurm jobs (the runs branch folded), then Watch Progress of the
# running job (Return on it).
slurm_walk() {
    start "$1" "$slurm_project"
    open_item Runs; key Left
    type_text "Job 1 "; shoot slurm-jobs 2
    open_item "Job $run_job "; shoot slurm-monitor 4
    stop "$1"
}

slurm=0
if prepare_slurm; then slurm=1; fi
walk light
[ "$slurm" = 0 ] || slurm_walk light
suffix="-dark"
walk dark
[ "$slurm" = 0 ] || slurm_walk dark
