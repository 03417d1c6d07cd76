#!/usr/bin/env bash
# The 10 GB run (manual benchmark; never in CI). Writes a synth capture of SIZE_GB
# gigabytes into a fresh folder under WORKDIR, and a 1 GB one of the same kind, then
#   tcpviz-cli analyze --progress FILE        time, peak memory (target <= 200 MiB),
#                                             and time per GB against the 1 GB file
#                                             (streaming: proportional to the size)
#   tcpviz --time-load FILE                   (offscreen) the window's table shown, peak
#          --time-steps 5                     then five connections selected one after
#                                             the other (first, last, three between):
#                                             each one's ladder shown, its packets read
#                                             through the packet index on the worker
# and deletes both files afterwards, also when a step fails. Skipped, saying so,
# when WORKDIR has less than SIZE_GB + 15 GB free.
#
# Full-size frames (snap length 1514) and 100 request/response exchanges a
# connection: some 400 bytes a packet, 85 kB a connection, so 10 GB is about
# 26 million packets in 120,000 connections. Memory grows with connections (about
# a kilobyte each, their summaries), not with the bytes of the file.
#
# usage: big_capture_bench.sh TCPVIZ_CLI GUI|- [WORKDIR] [SIZE_GB]
set -euo pipefail

cli=${1:?path to tcpviz-cli}
gui=${2:?path to tcpviz, or - without the GUI}
base=${3:-${TMPDIR:-/tmp}}
size_gb=${4:-10}
segments=100
bytes_per_connection=${TCPVIZ_BENCH_BYTES_PER_CONNECTION:-}

free_gb=$(df -P -B1G "$base" | awk 'NR == 2 { print $4 }')
if [ "$free_gb" -lt $((size_gb + 15)) ]; then
  echo "skipped: $base has $free_gb GB free, the run needs $((size_gb + 15)) GB"
  exit 0
fi
work=$(mktemp -d "$base/tcpviz-big-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -z "$bytes_per_connection" ]; then
  "$cli" synth -n 100 -k "$segments" --snaplen 1514 -o "$work/sample.pcap" -q
  bytes_per_connection=$(($(stat -c %s "$work/sample.pcap") / 100))
  rm -f "$work/sample.pcap"
fi

# seconds and peak KiB of a command, its stdout discarded, its stderr shown
timed() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null
  cat "$work/time.txt"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

for gb in 1 "$size_gb"; do
  pcap="$work/synth-${gb}gb.pcap"
  connections=$((gb * 1000000000 / bytes_per_connection))
  start=$(date +%s.%N)
  "$cli" synth -n "$connections" -k "$segments" --snaplen 1514 -o "$pcap" -q
  sync "$pcap" # written back before the timing, which would otherwise compete with it
  written=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  echo "== ${gb} GB: $(($(stat -c %s "$pcap") / 1000000)) MB, $connections connections (written in $written s)"
  # best of three on the small file (a busy machine's noise is larger than it), once on the big one
  t="" rss="" runs="1"
  [ "$gb" != 1 ] || runs="1 2 3"
  for _ in $runs; do
    # Both sizes read from disk: a 1 GB file stays in the page cache, 10 GB may not,
    # and the comparison must not be cache against disk. Only this file is dropped.
    dd if="$pcap" iflag=nocache count=0 status=none
    if [ "$gb" = 1 ]; then
      read -r t1 rss1 < <(timed "$cli" analyze --progress "$pcap" 2>/dev/null)
    else
      read -r t1 rss1 < <(timed "$cli" analyze --progress "$pcap")
    fi
    if [ -z "$t" ] || awk -v a="$t1" -v b="$t" 'BEGIN { exit !(a < b) }'; then t=$t1; fi
    if [ -z "$rss" ] || [ "$rss1" -gt "$rss" ]; then rss=$rss1; fi
  done
  printf 'tcpviz-cli analyze      %8.1f s  peak %7s MiB  %6.0f MB/s  (load %s)\n' "$t" "$(mib "$rss")" \
    "$(awk -v b="$(stat -c %s "$pcap")" -v t="$t" 'BEGIN { print b / 1e6 / t }')" "$(cut -d' ' -f1 /proc/loadavg)"
  eval "t_${gb}=$t"
  if [ "$gui" != "-" ]; then
    dd if="$pcap" iflag=nocache count=0 status=none
    out=$(QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} /usr/bin/time -f "peak %M" "$gui" --time-load --time-steps 5 "$pcap" 2>&1 || true)
    ms=$(sed -n 's/.*table shown after \([0-9.]*\) ms.*/\1/p' <<<"$out")
    peak=$(sed -n 's/^peak \([0-9]*\)$/\1/p' <<<"$out")
    printf 'tcpviz --time-load      %8.1f s  peak %7s MiB  (load %s)\n' "$(awk -v m="${ms:-0}" 'BEGIN { print m / 1000 }')" \
      "$(mib "${peak:-0}")" "$(cut -d' ' -f1 /proc/loadavg)"
    steps=$(sed -n 's/.*connection \([0-9]*\) shown after \([0-9.]*\) ms.*/#\1 \2 ms/p' <<<"$out" | paste -sd, -)
    printf 'tcpviz steps through    %s\n' "${steps:-(none shown: $out)}"
  fi
  rm -f "$pcap"
done
awk -v a="$t_1" -v b="$(eval echo "\$t_$size_gb")" -v g="$size_gb" \
  'BEGIN { printf "analyze time %s GB / 1 GB    %8.1fx (proportional: %s)\n", g, b / a, g }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (figures are wall-clock; a busy machine inflates them)"
