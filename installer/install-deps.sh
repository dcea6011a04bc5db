#!/usr/bin/env bash
# Installs every build, run and test dependency of Transfer Studio on Debian 12 (bookworm).
# Idempotent: packages already present are left alone, so running it twice is harmless.
#
# Elsewhere: install Qt >= 6.4 (Core, Gui, Widgets, PrintSupport, Sql with the SQLite driver,
# Test), the headers of the SQLite library that driver uses, QCustomPlot 2.1 built against Qt 6
# (CMake package QCustomPlotQt6), libtorch >= 1.13 (CMake package Torch), an optimised BLAS for
# libtorch's CPU kernels (OpenBLAS), CMake >= 3.25, Ninja and a C++17 compiler; Xvfb for
# screenshots; then build with `cmake --workflow --preset test`.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev libqt6sql6-sqlite libsqlite3-dev libgl-dev qt6-svg-dev
    libqcustomplot-dev libqcustomplot2.1-qt6
    libtorch-dev
    # Gloo's headers: libtorch's c10d process group for data-parallel training (core/distributed).
    libgloo-dev
    # Without it Debian's libtorch falls back to the reference BLAS: training is 16x slower.
    libopenblas0-openmp
    xvfb xauth sqlite3 python3
    # The fuzz preset (tests/fuzz/run-fuzzers.sh): clang with libFuzzer and the sanitizer runtimes.
    clang libclang-rt-14-dev
    # The `slurm` tests' one-node cluster (tests/slurm/cluster.sh) and `submit --slurm`'s clients.
    slurmctld slurmd slurm-client munge
    # Speeds up rebuilds (CMake uses it when present).
    ccache
)

if [ -r /etc/os-release ]; then
    . /etc/os-release
    if [ "${ID:-}" != "debian" ] || [ "${VERSION_ID:-}" != "12" ]; then
        echo "install-deps: this script targets Debian 12; on ${PRETTY_NAME:-this system} install the" >&2
        echo "equivalents listed at the top of $0 with your package manager." >&2
    fi
fi
if ! command -v apt-get >/dev/null; then
    echo "install-deps: apt-get not found; install the packages listed in $0 by hand." >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
else
    echo "install-deps: installing ${missing[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

# libtorch must use OpenBLAS, not the reference BLAS (which the alternatives may still select).
for lib in libblas.so.3 liblapack.so.3; do
    alt="${lib}-$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
    target="$(update-alternatives --list "$alt" 2>/dev/null | grep openblas-openmp | head -n1 || true)"
    if [ -n "$target" ] && [ "$(readlink -f "/etc/alternatives/$alt")" != "$(readlink -f "$target")" ]; then
        $SUDO update-alternatives --set "$alt" "$target"
    fi
done
