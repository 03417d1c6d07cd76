#!/usr/bin/env bash
# Analyze benchmark (manual; not a CTest test). On a synth capture of
# 1.3 million packets and 100,000 connections it times, in one run on one machine,
#   a bare libpcap read loop              (the baseline)
#   tcpviz-cli analyze FILE               (table; target <= 1.5x the loop;
#                                          pipelined, and --threads 1 beside it)
#   tcpviz-cli analyze --json FILE        (to /dev/null and to a file; target <= 1.5x)
#   tcptrace -n -l FILE                   (the peer for per-connection detail)
#   tshark -n -q -z conv,tcp -r FILE      (the peer for the conversation table)
# taking the best of N runs of each (peers once), with peak memory from /usr/bin/time,
# and prints the figures and the ratios.
#
# usage: analyze_bench.sh TCPVIZ_CLI PCAP_READ_LOOP [WORKDIR] [RUNS]
# Needs tshark and /usr/bin/time (scripts/deps); tcptrace is installed here when
# missing and run as root (Debian package tcptrace), otherwise left out.
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

if ! command -v tcptrace >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq --no-install-recommends tcptrace >/dev/null 2>&1 || true
fi

read -r t_loop _ < <(measure "$loop" "$pcap")
read -r t_cli rss_cli < <(measure "$cli" analyze "$pcap")
read -r t_one rss_one < <(measure "$cli" analyze --threads 1 "$pcap")
read -r t_json rss_json < <(measure "$cli" analyze --json "$pcap")
read -r t_jsonf _ < <(measure sh -c '"$1" analyze --json "$2" >"$3"' sh "$cli" "$pcap" "$work/analyze.json")
json_mb=$(awk -v b="$(stat -c %s "$work/analyze.json")" 'BEGIN { printf "%.0f", b / 1e6 }')
rm -f "$work/analyze.json"
t_tshark="" rss_tshark=""
if command -v tshark >/dev/null; then
  read -r t_tshark rss_tshark < <(runs=1 measure tshark -n -q -z conv,tcp -r "$pcap")
fi
t_tcptrace="" rss_tcptrace=""
if command -v tcptrace >/dev/null; then
  read -r t_tcptrace rss_tcptrace < <(cd "$work" && runs=1 measure tcptrace -n -l "$pcap")
fi
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

printf 'bare libpcap loop          %8.2f s\n' "$t_loop"
printf 'tcpviz-cli analyze         %8.2f s  peak %6s MiB (pipelined, two threads)\n' "$t_cli" "$(mib "$rss_cli")"
printf 'tcpviz-cli analyze -t 1    %8.2f s  peak %6s MiB (one thread)\n' "$t_one" "$(mib "$rss_one")"
printf 'tcpviz-cli analyze --json  %8.2f s  peak %6s MiB (to /dev/null)\n' "$t_json" "$(mib "$rss_json")"
printf 'tcpviz-cli analyze --json  %8.2f s  (to a file, %s MB)\n' "$t_jsonf" "$json_mb"
[ -n "$t_tcptrace" ] && printf 'tcptrace -n -l             %8.2f s  peak %6s MiB\n' "$t_tcptrace" "$(mib "$rss_tcptrace")"
[ -n "$t_tshark" ] && printf 'tshark -z conv,tcp         %8.2f s  peak %6s MiB\n' "$t_tshark" "$(mib "$rss_tshark")"
awk -v c="$t_cli" -v o="$t_one" -v j="$t_json" -v f="$t_jsonf" -v l="$t_loop" -v t="$t_tshark" -v p="$t_tcptrace" \
    -v m="$rss_cli" -v mj="$rss_json" 'BEGIN {
  printf "analyze / bare loop        %8.2fx  (target <= 1.5; one thread %.2fx)\n", c / l, o / l
  printf "analyze --json / loop      %8.2fx  (target <= 1.5; to a file %.2fx)\n", j / l, f / l
  if (p != "") printf "tcptrace / analyze         %8.2fx\n", p / c
  if (t != "") printf "tshark / analyze           %8.2fx  (target >= 30)\n", t / c
  printf "peak memory                %8.1f MiB table, %.1f MiB json (target <= 100)\n", m / 1024, mj / 1024
}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (figures are wall-clock; a busy machine inflates them)"
