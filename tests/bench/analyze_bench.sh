#!/usr/bin/env bash
# Analyze benchmark (manual; not a CTest test). On a synth capture of
# 1.3 million packets and 100,000 connections it times
#   tcpviz-cli analyze FILE          (peak memory from /usr/bin/time -v)
#   tshark -q -z conv,tcp -r FILE    (the 30x target)
#   a bare libpcap read loop         (the 4x target)
# taking the best of N runs of each, and prints the figures and ratios.
#
# usage: analyze_bench.sh TCPVIZ_CLI PCAP_READ_LOOP [WORKDIR] [RUNS]
# Needs tshark and /usr/bin/time (Debian packages tshark, time; see scripts/deps).
set -euo pipefail

cli=${1:?path to tcpviz-cli}
loop=${2:?path to pcap_read_loop}
work=${3:-${TMPDIR:-/tmp}/tcpviz-analyze-bench}
runs=${4:-3}
connections=${TCPVIZ_BENCH_CONNECTIONS:-100000}
segments=${TCPVIZ_BENCH_DATA_SEGMENTS:-3} # 7 + 2K packets per connection: 13 -> 1.3 M

mkdir -p "$work"
pcap="$work/synth-${connections}-${segments}.pcap"
if [ ! -s "$pcap" ]; then
  "$cli" synth --connections "$connections" --data-segments "$segments" -o "$pcap" -q
fi
packets=$(capinfos -c -M "$pcap" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')
echo "capture: $pcap ($packets packets, $connections connections)"

# best wall-clock seconds and peak RSS (KiB) of a command over $runs runs
measure() {
  local best="" rss="" t m
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
      cat "$work/stderr.txt" >&2
      return 1
    }
    read -r t m <"$work/time.txt"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    if [ -z "$rss" ] || [ "$m" -gt "$rss" ]; then rss=$m; fi
  done
  echo "$best $rss"
}

read -r t_loop _ < <(measure "$loop" "$pcap")
read -r t_cli rss_cli < <(measure "$cli" analyze "$pcap")
read -r t_json rss_json < <(measure "$cli" analyze --json "$pcap")
t_tshark=""
if command -v tshark >/dev/null; then
  read -r t_tshark _ < <(runs=1 measure tshark -n -q -z conv,tcp -r "$pcap")
fi

printf 'bare libpcap loop      %8.2f s\n' "$t_loop"
printf 'tcpviz-cli analyze     %8.2f s  peak %6.1f MiB\n' "$t_cli" "$(awk -v k="$rss_cli" 'BEGIN{print k/1024}')"
printf 'tcpviz-cli analyze -j  %8.2f s  peak %6.1f MiB\n' "$t_json" "$(awk -v k="$rss_json" 'BEGIN{print k/1024}')"
[ -n "$t_tshark" ] && printf 'tshark -z conv,tcp     %8.2f s\n' "$t_tshark"
awk -v c="$t_cli" -v l="$t_loop" -v t="$t_tshark" -v m="$rss_cli" 'BEGIN {
  printf "analyze / bare loop    %8.2fx  (target <= 4)\n", c / l
  if (t != "") printf "tshark / analyze       %8.2fx  (target >= 30)\n", t / c
  printf "peak memory            %8.1f MiB (target < 150)\n", m / 1024
}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (figures are wall-clock; a busy machine inflates them)"
