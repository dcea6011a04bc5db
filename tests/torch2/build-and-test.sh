#!/usr/bin/env bash
# Builds the whole project (core, ui, app, tests) against the libtorch 2.x that a PyTorch wheel
# carries (torch/include, torch/lib, torch/share/cmake), in build/torch2 (the torch2 preset), and
# runs the unit and gui tests on the CPU. The GPU host builds against such a libtorch; everywhere
# else the project builds against Debian's 1.13, so this is how 2.x-only code paths get compiled.
#
# TS_TORCH2_PYTHON  a Python whose `import torch` is the wheel (default: python3)
# TS_JOBS           parallel compile jobs (default 2; the cold build recompiles every torch-including
#                   file: over an hour on 2 busy cores)
# Further arguments go to ctest (e.g. -R 'train_' to run only some tests).
#
# A CUDA wheel's CMake config (Caffe2Config) needs a CUDA toolkit (nvcc) at configure time; a
# toolkit of the same major version as the wheel's CUDA will do (13.0 for cu132 has been used).
# The wheel must use the C++11 ABI, as Qt does (PyPI's wheels since 2.7 do).
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${TS_TORCH2_PYTHON:-python3}"

if ! info="$("$python" -c 'import os, torch; print(os.path.dirname(torch.__file__)); print(torch.__version__); print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null)"; then
    echo "error: $python cannot import torch; set TS_TORCH2_PYTHON to a Python with PyTorch 2.x installed" >&2
    exit 1
fi
{ read -r prefix; read -r version; read -r cxx11; } <<<"$info"
if [[ "${version%%.*}" -lt 2 ]]; then
    echo "error: $python has torch $version; the torch2 build needs 2.x" >&2
    exit 1
fi
if [[ "$cxx11" != 1 ]]; then
    echo "error: torch $version in $prefix uses the pre-C++11 ABI; Qt uses the C++11 ABI (install a wheel built with it)" >&2
    exit 1
fi
echo "torch2: libtorch $version from $prefix"
export TS_TORCH2_PREFIX="$prefix"

cmake --preset torch2
nice -n 10 cmake --build --preset torch2 -- -j"${TS_JOBS:-2}"

# libtorch_cuda finds the wheel's CUDA libraries through its RPATH, but the test executables
# link cudart directly (from the toolkit CMake found): the wheel's copies come first.
nvidia="$(dirname "$prefix")/nvidia"
libs="$prefix/lib"
for dir in "$nvidia"/*/lib; do
    [[ -d "$dir" ]] && libs="$libs:$dir"
done
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export QT_QPA_PLATFORM=offscreen
ctest --preset torch2 "$@"
