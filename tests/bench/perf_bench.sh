#!/usr/bin/env bash
# All capture performance figures in one go, on the synth capture of 1.3 million
# packets and 100,000 connections: analyze vs tshark and the bare libpcap loop
# plus peak memory (analyze_bench.sh), tcpviz's reader+decoder alone
# (tcpviz_read_bench), and the GUI's time from start until the capture is
# analysed and its connection table shown (tcpviz --time-load; target < 2 s).
#
# usage: perf_bench.sh TCPVIZ_CLI PCAP_READ_LOOP READ_BENCH GUI|- [WORKDIR] [RUNS]
# Run through the build: cmake --build BUILD --target perf_bench
set -euo pipefail

cli=${1:?path to tcpviz-cli}
loop=${2:?path to tcpviz_pcap_read_loop}
readbench=${3:?path to tcpviz_read_bench}
gui=${4:?path to tcpviz, or - without the GUI}
work=${5:-${TMPDIR:-/tmp}/tcpviz-perf-bench}
runs=${6:-3}
here=$(cd "$(dirname "$0")" && pwd)

echo "== analyze (best of $runs) =="
"$here/analyze_bench.sh" "$cli" "$loop" "$work" "$runs"
pcap="$work/synth-${TCPVIZ_BENCH_CONNECTIONS:-100000}-${TCPVIZ_BENCH_DATA_SEGMENTS:-3}.pcap"

echo "== reader + decoder (best of 5) =="
"$readbench" "$pcap" 5
echo

if [ "$gui" != "-" ]; then
  echo "== GUI: capture loaded and connection table shown (best of $runs) =="
  best="" resident=""
  for _ in $(seq "$runs"); do
    line=$(QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$gui" --time-load "$pcap" 2>&1 | grep 'table shown after' || true)
    ms=$(sed -n 's/.*table shown after \([0-9.]*\) ms.*/\1/p' <<<"$line")
    resident=$(sed -n 's/.*resident \([0-9.]*\) MiB.*/\1/p' <<<"$line")
    if [ -z "$ms" ]; then
      echo "tcpviz --time-load printed no figure" >&2
      exit 1
    fi
    if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
  done
  printf 'GUI load + table shown  %8.0f ms (target <= 400), resident %s MiB (target <= 120)\n' "$best" "${resident:-?}"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
