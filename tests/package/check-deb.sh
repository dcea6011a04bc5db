#!/usr/bin/env bash
# Builds the Debian package with CPack and checks that it holds what a user installs:
# both executables, the .desktop entry and the icon, with the runtime dependencies declared.
set -euo pipefail
build_dir="$1"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$out" >/dev/null
deb="$(ls "$out"/transfer-studio_*.deb)"
contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/transfer-studio ./usr/bin/transfer-studio-cli \
            ./usr/share/applications/transfer-studio.desktop \
            ./usr/share/icons/hicolor/scalable/apps/transfer-studio.svg; do
    if ! grep -q " $path\$" <<<"$contents"; then
        echo "package is missing $path" >&2
        exit 1
    fi
done
depends="$(dpkg-deb -f "$deb" Depends)"
for dependency in libqt6sql6-sqlite libtorch1.13 libopenblas0-openmp libqcustomplot2.1-qt6; do
    if ! grep -q "$dependency" <<<"$depends"; then
        echo "package does not depend on $dependency" >&2
        exit 1
    fi
done
echo "ok: $(basename "$deb")"
