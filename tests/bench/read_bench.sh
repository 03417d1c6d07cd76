#!/bin/sh
# Reading benchmark: a synth capture of 1.3 million packets and
# 100,000 connections, the bare libpcap loop over it, and tcpviz's reader +
# decoder over it. Usage: tests/bench/read_bench.sh BUILD_DIR [FILE]
set -eu
build=${1:?usage: $0 BUILD_DIR [FILE]}
file=${2:-${TMPDIR:-/tmp}/tcpviz_synth_100k.pcap}
if [ ! -f "$file" ]; then
    # 7 + 2*3 = 13 packets per connection: 1.3 million packets
    "$build/app/cli/tcpviz-cli" synth --connections 100000 --data-segments 3 -o "$file"
fi
cat "$file" > /dev/null # page cache
echo "bare libpcap loop:"
/usr/bin/time -f "  %e s, %M KiB max RSS" "$build/tests/bench/tcpviz_pcap_read_loop" "$file"
echo "reader + decoder (best of 5, ratio to the bare loop):"
"$build/tests/bench/tcpviz_read_bench" "$file" 5
