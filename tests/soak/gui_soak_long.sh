#!/bin/sh
# The one-hour window live-capture soak (not in CI: CI runs one minute of it).
# Needs root (live capture on lo) and a build of the ci preset:
#     cmake --preset ci && cmake --build build/ci --target tcpviz_gui_soak_test
#     sudo tests/soak/gui_soak_long.sh [SECONDS]        # default 3600
# Prints RSS every 30 s and, at the end, the slope in KiB/min after warm-up.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
binary=${TCPVIZ_GUI_SOAK_BINARY:-"$here/../../build/ci/tests/soak/tcpviz_gui_soak_test"}
if [ ! -x "$binary" ]; then
    echo "gui_soak_long.sh: $binary not built (cmake --build build/ci --target tcpviz_gui_soak_test)" >&2
    exit 2
fi
TCPVIZ_SOAK_SECONDS=${1:-3600} QT_QPA_PLATFORM=offscreen exec "$binary"
