#!/usr/bin/env bash
# Long-run health: does a real run of the runner keep its resident memory, open file descriptors and threads flat
# over hundreds of epochs? Runs `mnist -e penalty` for MNIST_EPOCHS refinement epochs, then `hidden new` (the
# baseline) for HIDDEN_EPOCHS epochs, one after the other, each as its own `java` process started the way
# `exec:java` would start it (the JVM options of .mvn/jvm.config), and samples that process from outside every
# INTERVAL seconds into OUT/<name>/samples.csv:
#
#   elapsed_s, epoch (completed epochs: data rows of the run's metrics.csv), rss_mb (VmRSS), hwm_mb (VmHWM),
#   rss_anon_mb, rss_file_mb, fds (entries of /proc/PID/fd), threads, maps (lines of /proc/PID/maps),
#   heap_used_mb, heap_committed_mb (jstat -gc: eden + survivors + old), heap_rss_mb (the resident part of the
#   Java heap's address range, summed over /proc/PID/smaps), outside_heap_rss_mb (rss_mb - heap_rss_mb: ND4J's
#   native buffers, malloc, JIT code, metaspace, thread stacks)
#
# At epoch 5 and during the last epoch it also saves a class histogram of the live heap (`jcmd GC.class_histogram`,
# which runs a full GC first; one full GC (`jcmd GC.run`) and 0.3 s go before it, so that ND4J's and JavaCPP's
# deallocator threads have freed the entries of what that GC found dead: a JavaCPP deallocator list node found dead
# by the histogram's own GC would still count as live; the wait is short because a fast run's last epoch is), the
# JVM's
# native memory (NMT: a baseline at epoch 5, a diff against it at the end) and a copy of /proc/PID/smaps (which
# mappings grew). Those two moments lie outside the windows the summary compares, because a full GC makes G1 give
# heap back and so lowers the RSS for a while. The JVM's GC log goes to gc.log (heap after every collection, and
# G1's reasons for growing the heap). bench/long_run_summary.py then writes OUT/<name>/summary.md and
# OUT/long-run.md: RSS, heap, fds, threads at epoch 10, half-way and the end, the least-squares slopes per 100
# epochs, the maxima, what grew, and two verdicts (see the thresholds there).
#
#   bench/long-run.sh                 # both: MNIST 250 epochs on 10,000/2,000 images, HiDDeN 100 epochs at 32 px
#   bench/long-run.sh mnist           # one of them
#   MNIST_TRAIN_LIMIT=all MNIST_TEST_LIMIT=all bench/long-run.sh mnist   # the full 60,000 + 10,000 images
#
# Environment: MNIST_EPOCHS (250), MNIST_TRAIN_LIMIT (10000; "all" for every image), MNIST_TEST_LIMIT (2000),
# HIDDEN_EPOCHS (100), HIDDEN_SIZE (32), HIDDEN_CHANNELS (16), HIDDEN_TRAIN_LIMIT (128), HIDDEN_VAL_LIMIT (32),
# INTERVAL (seconds between samples, 2), THREADS (ND4J threads, 1), NICE (niceness of the run, 10),
# SKIP_BUILD (1: reuse runners/target/classes and runners/target/bench-classpath.txt), OUT (bench/out/long-run),
# JAVA_OPTS (extra JVM options after those of .mvn/jvm.config, e.g. "-Xmx1g"; empty by default).
# Run it from a clone of its own when others edit the working tree: it compiles the tree it sits in.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MNIST_EPOCHS=${MNIST_EPOCHS:-250}
MNIST_TRAIN_LIMIT=${MNIST_TRAIN_LIMIT:-10000}
MNIST_TEST_LIMIT=${MNIST_TEST_LIMIT:-2000}
HIDDEN_EPOCHS=${HIDDEN_EPOCHS:-100}
HIDDEN_SIZE=${HIDDEN_SIZE:-32}
HIDDEN_CHANNELS=${HIDDEN_CHANNELS:-16}
HIDDEN_TRAIN_LIMIT=${HIDDEN_TRAIN_LIMIT:-128}
HIDDEN_VAL_LIMIT=${HIDDEN_VAL_LIMIT:-32}
INTERVAL=${INTERVAL:-2}
THREADS=${THREADS:-1}
NICE=${NICE:-10}
EARLY=5  # epoch of the first heap histogram and NMT baseline
OUT=${OUT:-bench/out/long-run}
PY=/usr/bin/python3
WHICH=${1:-both}
case "$WHICH" in mnist|hidden|both) ;; *) echo "usage: bench/long-run.sh [mnist|hidden|both]" >&2; exit 2 ;; esac
# ND4J reads OMP_NUM_THREADS when its native library loads; --threads sets the same count afterwards
export OMP_NUM_THREADS=$THREADS
mkdir -p "$OUT"

CPFILE="$ROOT/runners/target/bench-classpath.txt"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build"
  mvn -B -q -o -pl runners -am compile dependency:build-classpath -Dmdep.outputFile="$CPFILE"
fi
CP="$ROOT/runners/target/classes:$(cat "$CPFILE")"
# the JVM options Maven's own JVM gets from .mvn/jvm.config (comments and blank lines dropped)
mapfile -t JVM_CONFIG < <(grep -v -E '^\s*(#|$)' .mvn/jvm.config)

{
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p')"
  echo "cpus=$(nproc --all)"
  echo "mem=$(free -g | awk '/Mem:/ {print $2" GiB"}')"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
  echo "jvm_options=${JVM_CONFIG[*]} ${JAVA_OPTS:-}"
  echo "threads=OMP_NUM_THREADS=$OMP_NUM_THREADS, --threads $THREADS"
  echo "nice=$NICE"
  echo "interval_s=$INTERVAL"
} > "$OUT/machine.txt"

# status_mb PID KEY: a /proc/PID/status field (kB) in MiB, empty when the process is gone
status_mb() { awk -v k="$2:" '$1 == k {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || true; }

# heap_mb FILE: "used,committed" in MiB from the last line of `jstat -gc` output, or ","
heap_mb() {
  tail -1 "$1" 2>/dev/null | awk '$1 ~ /^[0-9.]+$/ {
    # Timestamp S0C S1C S0U S1U EC EU OC OU ...
    printf "%.1f,%.1f", ($4 + $5 + $7 + $9) / 1024, ($2 + $3 + $6 + $8) / 1024; ok = 1 }
    END { if (!ok) printf "," }'
}

# heap_range PID: "start end" of the Java heap's reserved addresses (16 hex digits each), from GC.heap_info: G1
# prints one "garbage-first heap [start, end)" line; the serial and parallel collectors print one line per
# generation ("new generation [start, top, end)", "tenured generation [...]"), so the range is the lowest start
# and the highest end of those lines
heap_range() {
  local i range
  for i in 1 2 3 4 5 6 7 8 9 10; do
    range=$(jcmd "$1" GC.heap_info 2>/dev/null | awk '
      /(heap|generation|PSYoungGen|ParOldGen) +total/ && match($0, /\[0x[0-9a-f]+(, 0x[0-9a-f]+)+\)/) {
        n = split(substr($0, RSTART + 1, RLENGTH - 2), a, ", ")
        lo = substr(a[1], 3); hi = substr(a[n], 3)
        if (min == "" || lo < min) min = lo
        if (max == "" || hi > max) max = hi }
      END { if (min != "") print min, max }')
    [ -n "$range" ] && { echo "$range"; return; }
    sleep 1
  done
}

# heap_rss_mb PID START END: resident MiB of the mappings inside [START, END), from /proc/PID/smaps
heap_rss_mb() {
  awk -v lo="$2" -v hi="$3" '
    function pad(h) { h = sprintf("%16s", h); gsub(/ /, "0", h); return h }
    $1 ~ /^[0-9a-f]+-[0-9a-f]+$/ { split($1, a, "-"); inside = pad(a[1]) >= lo && pad(a[2]) <= hi; next }
    inside && $1 == "Rss:" { kb += $2 }
    END { printf "%.1f", kb / 1024 }' "/proc/$1/smaps" 2>/dev/null || true
}

# measure NAME EPOCHS MAIN_ARGS...: run the runner with MAIN_ARGS (-o is added), sample it until it exits
measure() {
  local name=$1 epochs=$2; shift 2
  local dir="$OUT/$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  local -a args=("$@" -o "$dir/runs")
  echo "== $name: ${args[*]}"
  echo "command=${args[*]}" > "$dir/command.txt"
  echo "java_opts=${JAVA_OPTS:-}" >> "$dir/command.txt"
  local start
  start=$(date +%s.%N)
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  nice -n "$NICE" java "${JVM_CONFIG[@]}" ${JAVA_OPTS:-} -XX:NativeMemoryTracking=summary \
    "-Xlog:gc,gc+ergo+heap=debug:file=$dir/gc.log:uptime" -cp "$CP" dev.constrained4j.runners.Main "${args[@]}" \
    > "$dir/run.log" 2>&1 &
  local pid=$!
  # jstat stays attached and prints a line every INTERVAL (its timestamp column is the JVM's uptime)
  sleep 1
  jstat -gc -t "$pid" "${INTERVAL}s" > "$dir/jstat.txt" 2>/dev/null &
  local jstat_pid=$!
  local -a range
  read -r -a range <<< "$(heap_range "$pid")"
  [ "${#range[@]}" = 2 ] || range=(0 0)
  echo "heap_range=${range[*]}" >> "$dir/command.txt"
  echo "elapsed_s,epoch,rss_mb,hwm_mb,rss_anon_mb,rss_file_mb,fds,threads,maps,heap_used_mb,heap_committed_mb,heap_rss_mb,outside_heap_rss_mb" \
    > "$dir/samples.csv"
  local epoch=0 done_early=0 done_late=0
  while kill -0 "$pid" 2>/dev/null; do
    local metrics
    metrics=$(ls "$dir"/runs/*/metrics.csv 2>/dev/null | head -1 || true)
    if [ -n "$metrics" ] && [ -s "$metrics" ]; then
      epoch=$(($(wc -l < "$metrics") - 1))
    fi
    local rss hwm anon file threads fds maps heap heap_rss outside now
    rss=$(status_mb "$pid" VmRSS)
    [ -n "$rss" ] || break
    hwm=$(status_mb "$pid" VmHWM); anon=$(status_mb "$pid" RssAnon); file=$(status_mb "$pid" RssFile)
    threads=$(awk '$1 == "Threads:" {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    maps=$(wc -l < "/proc/$pid/maps" 2>/dev/null || echo "")
    heap=$(heap_mb "$dir/jstat.txt")
    heap_rss= outside=
    if [ "${range[0]}" != 0 ]; then
      heap_rss=$(heap_rss_mb "$pid" "${range[0]}" "${range[1]}")
      outside=$(awk -v a="$rss" -v b="$heap_rss" 'BEGIN {printf "%.1f", a - b}')
    fi
    now=$(date +%s.%N)
    echo "$(awk -v a="$now" -v b="$start" 'BEGIN {printf "%.1f", a - b}'),$epoch,$rss,$hwm,$anon,$file,$fds,$threads,$maps,$heap,$heap_rss,$outside" \
      >> "$dir/samples.csv"
    # snapshots, each running a full GC: at the first sample at or after epoch EARLY (before the epoch-10 window,
    # so that the heap the full GC shrinks has grown back by then) and during the last epoch (after the end window)
    if [ "$done_early" = 0 ] && [ "$epoch" -ge "$EARLY" ]; then
      done_early=1
      jcmd "$pid" GC.run > /dev/null 2>&1 || true
      sleep 0.3
      jcmd "$pid" GC.class_histogram > "$dir/histogram-early.txt" 2>&1 || true
      jcmd "$pid" VM.native_memory baseline > /dev/null 2>&1 || true
      jcmd "$pid" VM.native_memory summary > "$dir/nmt-early.txt" 2>&1 || true
      cat "/proc/$pid/smaps" > "$dir/smaps-early.txt" 2>/dev/null || true
    fi
    if [ "$done_late" = 0 ] && [ "$epoch" -ge $((epochs - 1)) ]; then
      done_late=1
      echo "$epoch" > "$dir/late-epoch.txt"
      jcmd "$pid" GC.run > /dev/null 2>&1 || true
      sleep 0.3
      jcmd "$pid" GC.class_histogram > "$dir/histogram-late.txt" 2>&1 || true
      jcmd "$pid" VM.native_memory summary.diff > "$dir/nmt-late-diff.txt" 2>&1 || true
      cat "/proc/$pid/smaps" > "$dir/smaps-late.txt" 2>/dev/null || true
    fi
    sleep "$INTERVAL"
  done
  local rc=0
  wait "$pid" || rc=$?
  kill "$jstat_pid" 2>/dev/null || true
  wait "$jstat_pid" 2>/dev/null || true
  local end
  end=$(date +%s.%N)
  awk -v a="$end" -v b="$start" -v rc="$rc" 'BEGIN {printf "wall_s=%.1f\nexit=%d\n", a - b, rc}' > "$dir/result.txt"
  cat "$dir/result.txt"
  [ "$rc" = 0 ] || { echo "FAILED: $name (see $dir/run.log)"; tail -5 "$dir/run.log"; return 1; }
  $PY bench/long_run_summary.py "$dir" "$epochs" > "$dir/summary.md"
  cat "$dir/summary.md"
}

limit() { [ "$2" = all ] || echo "$1 $2"; }

if [ "$WHICH" != hidden ]; then
  # shellcheck disable=SC2046  # limit prints an option and its value, or nothing
  measure mnist "$MNIST_EPOCHS" mnist -e penalty --warmup-epochs 0 --epochs "$MNIST_EPOCHS" --threads "$THREADS" \
    $(limit --train-limit "$MNIST_TRAIN_LIMIT") $(limit --test-limit "$MNIST_TEST_LIMIT")
fi
if [ "$WHICH" != mnist ]; then
  measure hidden "$HIDDEN_EPOCHS" hidden new -e "$HIDDEN_EPOCHS" -s "$HIDDEN_SIZE" --channels "$HIDDEN_CHANNELS" \
    --train-limit "$HIDDEN_TRAIN_LIMIT" --val-limit "$HIDDEN_VAL_LIMIT" --threads "$THREADS"
fi
{
  echo "## Long-run health (bench/long-run.sh)"
  echo
  sed 's/^/    /' "$OUT/machine.txt"
  for name in mnist hidden; do
    [ -f "$OUT/$name/summary.md" ] && { echo; cat "$OUT/$name/summary.md"; }
  done
} > "$OUT/long-run.md"
echo "== wrote $OUT/long-run.md"
