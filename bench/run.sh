#!/usr/bin/env bash
# Side-by-side benchmark of constrained4j (Java, DL4J/ND4J) and PyTorch written from docs/experiments.md, on this
# machine and the shipped MNIST files. Builds the project, then runs Java and PyTorch alternately and writes
# BENCHMARKS.md (medians, Java/PyTorch ratios, machine, threads, versions). See BENCHMARKS.md for what each
# figure is.
#
#   bench/run.sh                    # RUNS=3 alternations of MNIST, HIDDEN_RUNS=3 of HiDDeN (about 15 minutes)
#   RUNS=5 SAMEDIFF_RUNS=3 bench/run.sh
#
# Environment: RUNS (alternations, default 3), MNIST_EPOCHS (epochs per MNIST run, default 3), SAMEDIFF_RUNS (runs of the SameDiff engine, default 1),
# THREADS (default 1), HIDDEN_RUNS (alternations of HiDDeN, default 3), HIDDEN_BATCH_64 / HIDDEN_BATCH_128
# (defaults 16 and 8), HIDDEN_STEPS (timed steps, default 3), HIDDEN_WARMUP (untimed steps first, default 2: the
# JIT compiles the vectorised loops during the first steps), MEMORY_EPOCHS (default 250), OUT (default bench/out).
#
# Fairness: some environments set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which pin OpenBLAS, and so Debian's
# PyTorch, to an old kernel (a 2048³ float GEMM at 32.8 instead of ~177 GFLOP/s on 1 thread). Every PyTorch command
# runs with both unset (TORCH below); the Java side keeps the environment (ND4J ships its own natives). Both sides'
# BLAS and 2048³ GEMM rate go into BENCHMARKS.md, and report.py writes no Java/PyTorch ratio when one rate is below
# half the other.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-3}
SAMEDIFF_RUNS=${SAMEDIFF_RUNS:-1}
THREADS=${THREADS:-1}
HIDDEN_RUNS=${HIDDEN_RUNS:-3}
HIDDEN_BATCH_64=${HIDDEN_BATCH_64:-16}
HIDDEN_BATCH_128=${HIDDEN_BATCH_128:-8}
HIDDEN_STEPS=${HIDDEN_STEPS:-3}
HIDDEN_WARMUP=${HIDDEN_WARMUP:-2}
MEMORY_EPOCHS=${MEMORY_EPOCHS:-250}
OUT=${OUT:-bench/out}
PY=/usr/bin/python3
TORCH=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONDONTWRITEBYTECODE=1 "$PY")  # bench/*.py import bench/torch_blas.py
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
# ND4J reads OMP_NUM_THREADS when its native library loads; --threads sets the same count afterwards
export OMP_NUM_THREADS=$THREADS

echo "== build"
mvn -B -q -o -pl runners -am compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$ROOT/runners/target/bench-classpath.txt"
# The benchmarks run on the class path a training program needs: the library modules and their runtime
# dependencies, the runner classes the benchmarks call and the Log4j2 binding, 50-odd jars. The runners' full class
# path (280-odd: the UI server's webjars, Vert.x and Netty, Spark and Scala, which a training loop never loads)
# costs about 0.7 s of start-up here: Log4j2 and ND4J look up their plugins and services in every jar
# (docs/mnist-speed.md, "Start-up"); one run on it is recorded too (startup-java-fullcp).
mvn -B -q -o -pl dl4j-models,reports -am compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile=target/library-classpath.txt
LIBRARY=$( {
  for m in runners datavec-pipelines samediff-losses dl4j-models reports; do echo "$ROOT/$m/target/classes"; done
  # datavec-pipelines' classes are on the path, its DataVec jars are not: the benchmarks load none of them
  for m in samediff-losses dl4j-models reports; do tr ':' '\n' < "$ROOT/$m/target/library-classpath.txt"; echo; done
  tr ':' '\n' < "$ROOT/runners/target/bench-classpath.txt" | grep -E '/(log4j|slf4j|jul-to-slf4j|jcl-over-slf4j)[^/]*\.jar$'
} | grep -v '^$' | awk '!seen[$0]++')
# The JVM's class-data-sharing archive (AppCDS: classes parsed and verified once, then mapped at start-up, as Python
# keeps its compiled .pyc files) needs jars, not class folders: the modules' classes are packed into $OUT/jars.
mkdir -p "$OUT/jars"
JARS=$(cd "$OUT/jars" && pwd)
CP=""
for entry in $LIBRARY; do
  if [ -d "$entry" ]; then
    jar="$JARS/$(basename "$(dirname "$(dirname "$entry")")").jar"
    (cd "$entry" && jar cf "$jar" .)
    entry=$jar
  fi
  CP="${CP:+$CP:}$entry"
done
FULL_CP="$ROOT/runners/target/classes:$(cat "$ROOT/runners/target/bench-classpath.txt")"
echo "class path: $(echo "$CP" | tr ':' '\n' | wc -l) entries (the runners' full one: $(echo "$FULL_CP" | tr ':' '\n' | wc -l))"
# the fused engines' SIMD loops need the vector module (as .mvn/jvm.config gives Maven's own JVM); the serial
# collector with a 32 MiB young generation keeps the heap, and so the resident memory, at what the run holds (G1
# committed 530 MiB for a ~100 MiB live heap here: BENCHMARKS.md, "Memory")
JAVA_PLAIN=(java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmn32m -Xmx3g -cp "$CP")
# Which OpenBLAS the Java side loads: "system" (default when Debian's libopenblas0-pthread is installed) makes
# JavaCPP load the system's library, the very one PyTorch calls, in place of the OpenBLAS 0.3.19 that ND4J bundles,
# so that both sides multiply matrices with the same code; "bundled" keeps ND4J's. One MNIST run with the other
# choice is recorded too. GemmBenchmark reports the library file the process actually mapped.
SYSTEM_BLAS=(-Dorg.bytedeco.openblas.load=openblas -Dorg.bytedeco.javacpp.pathsFirst=true
  -Djava.library.path=/usr/lib/x86_64-linux-gnu)
if [ -z "${JAVA_BLAS:-}" ]; then
  JAVA_BLAS=$([ -e /usr/lib/x86_64-linux-gnu/libopenblas.so.0 ] && echo system || echo bundled)
fi
JAVA_BUNDLED=("${JAVA_PLAIN[@]}")
if [ "$JAVA_BLAS" = system ]; then
  JAVA_PLAIN+=("${SYSTEM_BLAS[@]}")
  JAVA_OTHER=("${JAVA_BUNDLED[@]}")
else
  JAVA_OTHER=("${JAVA_PLAIN[@]}" "${SYSTEM_BLAS[@]}")
fi
CDS="$OUT/jars/constrained4j.jsa"
rm -f "$CDS"
echo "-- class-data-sharing archive: one short MNIST run that ends with -XX:ArchiveClassesAtExit"
"${JAVA_PLAIN[@]}" -XX:ArchiveClassesAtExit="$CDS" dev.constrained4j.runners.bench.MnistEpochBenchmark --engine fused \
  --threads "$THREADS" --epochs 1 --train-limit 2000 > "$OUT/cds.log" 2>&1 || { echo "FAILED: CDS archive"; tail -5 "$OUT/cds.log"; }
JAVA=("${JAVA_PLAIN[@]}")
[ -f "$CDS" ] && JAVA+=(-XX:SharedArchiveFile="$CDS")
MNIST_EPOCHS=${MNIST_EPOCHS:-3}

# run LABEL command...: appends {"label":…, …the program's JSON…, "max_rss_mb": from /usr/bin/time} to RESULTS
run() {
  local label=$1; shift
  local log="$OUT/$label.log" tlog="$OUT/$label.time"
  echo "-- $label"
  /usr/bin/time -v -o "$tlog" "$@" > "$log" 2>&1 || { echo "FAILED: $label (see $log)"; tail -5 "$log"; return 1; }
  local json rss
  json=$(grep -E '^\{.*"impl"' "$log" | tail -1)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2/1024}' "$tlog")
  $PY -c 'import json,sys; d=json.loads(sys.argv[1]); d["label"]=sys.argv[2]; d["max_rss_mb"]=float(sys.argv[3]); print(json.dumps(d))' \
    "$json" "$label" "$rss" >> "$RESULTS"
}

echo "== machine"
{
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p')"
  echo "cpus=$(nproc --all) (lscpu: $(lscpu | sed -n 's/^CPU(s): *//p'))"
  echo "flags=$(grep -o -w -E 'avx2|avx512f|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  echo "mem=$(free -g | awk '/Mem:/ {print $2" GiB"}')"
  echo "uptime_start=$(uptime)"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "dl4j=$(sed -n 's:.*<dl4j.version>\(.*\)</dl4j.version>.*:\1:p' pom.xml | head -1)"
  echo "nd4j_backend=$(sed -n 's:.*<nd4j.backend>\(.*\)</nd4j.backend>.*:\1:p' pom.xml | head -1)"
  echo "torch=$("${TORCH[@]}" -c 'import torch; print(torch.__version__)')"
  echo "numpy=$("${TORCH[@]}" -c 'import numpy; print(numpy.__version__)')"
  echo "openblas=$(dpkg-query -W -f '${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo none)"
  echo "java_blas_choice=$JAVA_BLAS (JAVA_BLAS=system|bundled)"
  echo "threads=OMP_NUM_THREADS=$OMP_NUM_THREADS, --threads $THREADS, torch.set_num_threads($THREADS) + openblas_set_num_threads($THREADS)"
  echo "blas_env=inherited: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-unset}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-unset}; Java keeps them, PyTorch runs with both unset"
  # GemmBenchmark does not print ND4J's BLAS vendor (ND4J logs it at INFO, which the runners' log4j2.xml hides):
  # name the native jars on the class path instead
  echo "java_blas=ND4J native (own OpenBLAS/oneDNN): $(tr ':' '\n' < "$ROOT/runners/target/bench-classpath.txt" \
    | sed -n 's:.*/\(\(nd4j-native\|openblas\|mkl\|dnnl\)-[^/]*linux[^/]*\)\.jar$:\1:p' | sort -u | paste -sd ' ')"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

echo "== matrix-multiply throughput"
run gemm-java "${JAVA[@]}" dev.constrained4j.runners.bench.GemmBenchmark "$THREADS" 2048
run gemm-torch "${TORCH[@]}" bench/gemm_reference.py --threads "$THREADS" --n 2048

echo "== MNIST penalty epoch + full evaluation (alternating)"
for r in $(seq 1 "$RUNS"); do
  run "mnist-fused-$r" "${JAVA[@]}" dev.constrained4j.runners.bench.MnistEpochBenchmark --engine fused --threads "$THREADS" \
    --epochs "$MNIST_EPOCHS"
  run "mnist-torch-$r" "${TORCH[@]}" bench/mnist_reference.py --threads "$THREADS" --epochs "$MNIST_EPOCHS"
  if [ "$r" -le "$SAMEDIFF_RUNS" ]; then
    run "mnist-samediff-$r" "${JAVA[@]}" dev.constrained4j.runners.bench.MnistEpochBenchmark --engine samediff --threads "$THREADS" \
      --epochs "$MNIST_EPOCHS"
  fi
done
# the fused engine on the other OpenBLAS (once), for comparison
run "other-blas-mnist-fused" "${JAVA_OTHER[@]}" dev.constrained4j.runners.bench.MnistEpochBenchmark --engine fused \
  --threads "$THREADS" --epochs "$MNIST_EPOCHS"
# start-up without the class-data-sharing archive, for comparison (its epoch is not used)
run startup-java-nocds "${JAVA_PLAIN[@]}" dev.constrained4j.runners.bench.MnistEpochBenchmark --engine fused --threads "$THREADS" \
  --epochs 1
# start-up on the runners' full class path (no archive either: it is built for the library's), for comparison
FULL_JAVA=("${JAVA_PLAIN[@]}")
for i in "${!FULL_JAVA[@]}"; do [ "${FULL_JAVA[$i]}" = "$CP" ] && FULL_JAVA[$i]=$FULL_CP; done
run startup-java-fullcp "${FULL_JAVA[@]}" dev.constrained4j.runners.bench.MnistEpochBenchmark --engine fused --threads "$THREADS" \
  --epochs 1

echo "== threads: the MNIST epoch with 2 threads (once each)"
# OpenMP's threads spin between parallel regions by default, and PyTorch's then starve its OpenBLAS threads on 2
# cores: its 2-thread MNIST epoch took 10-11 s here, 4.7-4.9 s with passive waiting (Java: no change). Every
# 2-thread run, on both sides, waits passively.
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 run mnist-fused-2threads "${JAVA[@]}" dev.constrained4j.runners.bench.MnistEpochBenchmark --engine fused --threads 2 \
  --epochs "$MNIST_EPOCHS"
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 run mnist-torch-2threads "${TORCH[@]}" bench/mnist_reference.py --threads 2 --epochs "$MNIST_EPOCHS"

echo "== HiDDeN training images/s (alternating)"
for r in $(seq 1 "$HIDDEN_RUNS"); do
  for size in 64 128; do
    steps=$HIDDEN_STEPS
    batch=$([ "$size" = 64 ] && echo "$HIDDEN_BATCH_64" || echo "$HIDDEN_BATCH_128")
    run "hidden$size-java-$r" "${JAVA[@]}" dev.constrained4j.runners.bench.HiddenBenchmark "$size" "$batch" "$steps" "$THREADS" "$HIDDEN_WARMUP"
    run "hidden$size-torch-$r" "${TORCH[@]}" bench/hidden_reference.py --size "$size" --batch "$batch" --steps "$steps" --threads "$THREADS" --warmup "$HIDDEN_WARMUP"
  done
done

echo "== HiDDeN with 2 threads, 64 px (alternating, HIDDEN_RUNS times: one run each swung 0.82 to 1.34)"
for r in $(seq 1 "$HIDDEN_RUNS"); do
  OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 run "hidden64-java-2threads-$r" "${JAVA[@]}" dev.constrained4j.runners.bench.HiddenBenchmark 64 \
    "$HIDDEN_BATCH_64" "$HIDDEN_STEPS" 2 "$HIDDEN_WARMUP"
  OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 run "hidden64-torch-2threads-$r" "${TORCH[@]}" bench/hidden_reference.py --size 64 \
    --batch "$HIDDEN_BATCH_64" --steps "$HIDDEN_STEPS" --threads 2 --warmup "$HIDDEN_WARMUP"
done

echo "== memory: RSS after each of $MEMORY_EPOCHS epochs (fused, --train-limit 10000)"
run memory-fused "${JAVA[@]}" dev.constrained4j.runners.bench.MnistEpochBenchmark --engine fused --threads "$THREADS" \
  --epochs "$MEMORY_EPOCHS" --train-limit 10000

echo "uptime_end=$(uptime)" >> "$OUT/machine.txt"
# written beside and then moved over BENCHMARKS.md, whose hand-written long-run section report.py carries over
$PY bench/report.py "$OUT" BENCHMARKS.md > "$OUT/BENCHMARKS.md.new"
mv "$OUT/BENCHMARKS.md.new" BENCHMARKS.md
echo "== wrote BENCHMARKS.md"
