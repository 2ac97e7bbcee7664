#!/usr/bin/python3
"""Turns bench/run.sh's results.jsonl and machine.txt into BENCHMARKS.md (stdout)."""
import json
import os
import statistics
import sys

out = sys.argv[1]
previous = sys.argv[2] if len(sys.argv) > 2 else None  # the BENCHMARKS.md being replaced: its hand-written part stays
rows = [json.loads(line) for line in open(os.path.join(out, "results.jsonl")) if line.strip()]
machine = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(out, "machine.txt")) if "=" in line)

# An MNIST run of several epochs: "epoch_seconds"/"eval_seconds" become the median over the epochs after the first
# (a training run's steady cost), and the first epoch, which carries the JIT's and the allocator's warm-up, is kept
# as "first_epoch_seconds"/"first_eval_seconds". The memory run (its own label) is left as it is.
for r in rows:
    epochs = r.get("epochs") or []
    if r["label"] != "memory-fused" and len(epochs) > 1:
        r["first_epoch_seconds"] = epochs[0]["train_seconds"]
        r["first_eval_seconds"] = epochs[0]["eval_seconds"]
        r["epoch_seconds"] = statistics.median(e["train_seconds"] for e in epochs[1:])
        r["eval_seconds"] = statistics.median(e["eval_seconds"] for e in epochs[1:])
        r["first_total"] = r["first_epoch_seconds"] + r["first_eval_seconds"]


def runs(prefix):
    return [r for r in rows if r["label"].startswith(prefix) and "2threads" not in r["label"]]


def med(prefix, key):
    values = [r[key] for r in runs(prefix) if r.get(key) is not None]
    return statistics.median(values) if values else float("nan")


def values(prefix, key, fmt="{:.2f}"):
    return ", ".join(fmt.format(r[key]) for r in runs(prefix))


def ratio(a, b):
    return a / b if b else float("nan")


def torch_blas_rows():
    """(label, blas record) of every PyTorch run that recorded its BLAS (bench/torch_blas.py)."""
    return [(r["label"], r["blas"]) for r in rows if "torch" in r["label"] and r.get("blas")]


def kernel(blas):
    return blas.get("openblas_corename") or "not OpenBLAS / not found"


def incomparable_cause():
    """Why the Java and PyTorch timings cannot be set against each other in this run, or None: a 2048³ GEMM rate
    missing or below half the other side's (the symptom of a pinned OpenBLAS kernel), or PyTorch runs on another
    OpenBLAS kernel than the one whose GEMM rate was measured."""
    j, t = med("gemm-java", "square_gflops"), med("gemm-torch", "square_gflops")
    blas = dict(torch_blas_rows())
    if not (j == j and t == t):
        return "no 2048³ GEMM rate from " + " and ".join(side for side, v in [("Java", j), ("PyTorch", t)] if v != v)
    if min(j, t) < max(j, t) / 2:
        slow, fast, sv, fv = ("PyTorch", "Java", t, j) if t < j else ("Java", "PyTorch", j, t)
        cause = f"{slow}'s 2048³ GEMM ran {sv:.1f} GFLOP/s, below half of {fast}'s {fv:.1f}"
        pinned = blas.get("gemm-torch", {}).get("pinning_env") or {}
        if slow == "PyTorch" and pinned:
            cause += "; " + ", ".join(f"{k}={v}" for k, v in pinned.items()) + " pins a slow OpenBLAS kernel"
        elif slow == "PyTorch" and "gemm-torch" in blas:
            cause += f"; OpenBLAS ran the {kernel(blas['gemm-torch'])} kernel"
        elif slow == "Java" and "OPENBLAS_CORETYPE=unset" not in machine.get("blas_env", "OPENBLAS_CORETYPE=unset"):
            cause += "; the inherited OPENBLAS_CORETYPE may pin ND4J's OpenBLAS (" + machine["blas_env"].strip() + ")"
        return cause
    kernels = {kernel(b) for b in blas.values()}
    if len(kernels) > 1:
        return "the PyTorch runs used different OpenBLAS kernels: " + ", ".join(
            f"{label} {kernel(b)}" for label, b in blas.items())
    return None


INCOMPARABLE = incomparable_cause()


def versus(a, b, bold=False):
    """The Java/PyTorch ratio cell, or "n/c" when the two sides' BLAS are not comparable."""
    if INCOMPARABLE:
        return "n/c"
    return f"**{ratio(a, b):.2f}**" if bold else f"{ratio(a, b):.2f}"


FORWARD = 2 * (784 * 256 + 256 * 20 + 20 * 10 + 20 * 256 + 256 * 784)  # FLOP per image, forward
TRAIN = 3 * FORWARD - 2 * 784 * 256  # forward + both backward products of every layer but the input gradient
EPOCH_FLOP = 60000 * TRAIN
EVAL_FLOP = 70000 * FORWARD

p = print
p("# Benchmarks: constrained4j (Java, DL4J/ND4J) against PyTorch on the same machine")
p()
p("Produced by one run of `bench/run.sh` (it builds the project, runs Java and PyTorch alternately, and writes")
p("this file; `RUNS=5 bench/run.sh` for more alternations). The PyTorch side is `bench/mnist_reference.py`,")
p("`bench/hidden_reference.py` and `bench/gemm_reference.py`: scripts written from `docs/experiments.md` (not the reference")
p("repository's code), run with `/usr/bin/python3` (Debian `python3-torch` + `libopenblas0-pthread`) and with")
p("`OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` unset, which some environments set and which pin OpenBLAS, and so")
p("PyTorch, to an old slow kernel. The MNIST script is the fastest plain PyTorch loop we know for the work: data held")
p("as one tensor, a seeded `torch.randperm` per epoch and `x[idx]` batches, `foreach` Adam, evaluation under")
p("`torch.inference_mode()`. Both sides' BLAS and 2048³ GEMM rates are in the machine table; when one rate is below")
p("half the other, this file gives no Java/PyTorch time ratio (\"n/c\", not comparable).")
p("The Java side is `dev.constrained4j.runners.bench.*`: `MnistEpochBenchmark` drives the runner's own")
p("`MnistTask`, `HiddenBenchmark` calls `HiddenSystem.baseline(…).trainOnBatch`, `GemmBenchmark` times the OpenBLAS products")
p("the fused MNIST engine calls (`DirectGemm`); `docs/mnist-speed.md` says what the Java side does.")
p()
p("## Machine")
p()
p("| | |")
p("|---|---|")
for key in ["cpu", "cpus", "flags", "mem", "java", "dl4j", "nd4j_backend", "torch", "numpy", "openblas", "threads",
            "blas_env", "uptime_start", "uptime_end"]:
    p(f"| {key} | {machine.get(key, '?').strip()} |")
gj, gt = med("gemm-java", "square_gflops"), med("gemm-torch", "square_gflops")
mj, mt = med("gemm-java", "mnist_gflops"), med("gemm-torch", "mnist_gflops")
java_lib = next((r.get("blas_library") for r in rows if r["label"] == "gemm-java" and r.get("blas_library")), None)
p(f"| BLAS, Java | {machine.get('java_blas_choice', '?').split(' ')[0]}: OpenBLAS mapped into the process: "
  f"{'`' + java_lib + '`' if java_lib else 'not recorded'}; ND4J natives: "
  f"{machine.get('java_blas', 'ND4J native (own OpenBLAS/oneDNN)').strip()} |")
gemm_blas = dict(torch_blas_rows()).get("gemm-torch")
if gemm_blas:
    p(f"| BLAS, PyTorch | OpenBLAS kernel **{kernel(gemm_blas)}** ({gemm_blas.get('openblas_config') or '?'}; "
      f"`{gemm_blas.get('openblas_library') or '?'}`); threads: torch {gemm_blas.get('torch_threads')}, OpenBLAS "
      f"{gemm_blas.get('openblas_threads')}; `torch.__config__`: {gemm_blas.get('torch_config')} |")
else:
    p("| BLAS, PyTorch | not recorded (gemm_reference.py before `blas` was recorded, or its run failed) |")
p(f"| GEMM 2048³ float, GFLOP/s | Java {gj:.1f}, PyTorch {gt:.1f}; 128×784×256: Java {mj:.1f}, PyTorch {mt:.1f} |")
kernels = sorted({kernel(b) for _, b in torch_blas_rows()})
pinned = sorted({f"{k}={v}" for _, b in torch_blas_rows() for k, v in (b.get("pinning_env") or {}).items()})
p(f"| OpenBLAS kernel in every PyTorch run | {', '.join(kernels) if kernels else 'not recorded'}"
  + (f" (pinned by {', '.join(pinned)})" if pinned else "") + " |")
p("| Java/PyTorch time ratios | " + (f"not comparable: {INCOMPARABLE}" if INCOMPARABLE else
                                     "comparable (2048³ GEMM rates within a factor of 2, one PyTorch kernel)") + " |")
p()
p("Load: `uptime` at the start and end of the run is above; on a shared 2-core machine every figure below is")
p("noisy, and ratios taken from alternated runs are more trustworthy than absolute times.")
p()
MNIST_EPOCHS = max((len(r.get("epochs") or []) for r in rows if r["label"].startswith("mnist-torch-")), default=1)
p(f"## 1. MNIST: a `penalty` refinement epoch + full evaluation (median of {len(runs('mnist-torch-'))} alternated runs)")
p()
p("60,000 training images, batch 128 shuffled, τ = 100, hinge, bound 0.01, Adam(lr 1e-3, coupled L2 1e-3) on")
p("both nets, then the full evaluation of train (60k) and test (10k): loss, accuracy, reconstruction MSE,")
p("violation, fraction satisfied. Java: the default `fused` engine and the `samediff` engine.")
if MNIST_EPOCHS > 1:
    p(f"Each run trains {MNIST_EPOCHS} epochs in one process; an epoch's figure is the median of epochs 2–{MNIST_EPOCHS}")
    p("(what every epoch of a training run after the first costs), and the first epoch, which includes the JIT's")
    p("warm-up on the Java side, has its own row.")
p()
p("| figure | Java fused | Java samediff | PyTorch | fused/PyTorch | samediff/PyTorch |")
p("|---|---|---|---|---|---|")
for key, name in [("epoch_seconds", "training epoch (s)"), ("eval_seconds", "full evaluation, 70k images (s)"),
                  ("total", "epoch + evaluation (s)"), ("first_total", "first epoch + evaluation (s)"),
                  ("startup_seconds", "start-up to end of first iteration (s)"),
                  ("max_rss_mb", "peak resident memory (MiB, `time -v`)")]:
    def m(prefix):
        if key == "total":
            return med(prefix, "epoch_seconds") + med(prefix, "eval_seconds") if runs(prefix) else float("nan")
        return med(prefix, key)
    f, s, t = m("mnist-fused-"), m("mnist-samediff-"), m("mnist-torch-")
    if key == "max_rss_mb":  # memory does not depend on the BLAS kernel's speed
        p(f"| {name} | {f:.2f} | {s:.2f} | {t:.2f} | **{ratio(f, t):.2f}** | {ratio(s, t):.2f} |")
    else:
        p(f"| {name} | {f:.2f} | {s:.2f} | {t:.2f} | {versus(f, t, bold=True)} | {versus(s, t)} |")
p()
total_ratio = ratio(med("mnist-fused-", "epoch_seconds") + med("mnist-fused-", "eval_seconds"),
                    med("mnist-torch-", "epoch_seconds") + med("mnist-torch-", "eval_seconds"))
if INCOMPARABLE:
    p(f"**Status in this run:** fused/PyTorch for epoch + evaluation: not comparable: {INCOMPARABLE}. No ratio is")
    p("given; rerun with both sides on full-speed kernels.")
else:
    p(f"**Status in this run:** fused/PyTorch for epoch + evaluation = {total_ratio:.2f} (the goal is ≤ 0.8): "
      + ("met." if total_ratio <= 0.8 else "not met; see the per-run figures and the load."))
p()
p("Every run (seconds, training epoch): fused " + values("mnist-fused-", "epoch_seconds") + "; PyTorch "
  + values("mnist-torch-", "epoch_seconds") + "; samediff " + values("mnist-samediff-", "epoch_seconds") + ".")
p("Evaluation: fused " + values("mnist-fused-", "eval_seconds") + "; PyTorch " + values("mnist-torch-", "eval_seconds")
  + "; samediff " + values("mnist-samediff-", "eval_seconds") + ".")
other = [r for r in rows if r["label"] == "other-blas-mnist-fused"]
if other:
    o = other[0]
    choice = machine.get("java_blas_choice", "?").split(" ")[0]
    p(f"The fused engine on the {'bundled' if choice == 'system' else 'system'} OpenBLAS instead (one run): epoch "
      f"{o['epoch_seconds']:.2f} s + evaluation {o['eval_seconds']:.2f} s = "
      f"{o['epoch_seconds'] + o['eval_seconds']:.2f} s, "
      f"{ratio(o['epoch_seconds'] + o['eval_seconds'], med('mnist-torch-', 'epoch_seconds') + med('mnist-torch-', 'eval_seconds')):.2f}"
      f" of PyTorch's median.")
nocds = [r for r in rows if r["label"] == "startup-java-nocds"]
if nocds:
    p(f"Java start-up uses the JVM's class-data-sharing archive that bench/run.sh builds first (`-XX:SharedArchiveFile`);"
      f" without it, one run: {nocds[0]['startup_seconds']:.2f} s.")
fullcp = [r for r in rows if r["label"] == "startup-java-fullcp"]
if fullcp:
    p(f"Java runs on the library's class path (about 50 jars: bench/run.sh); on the runners' full class path (about"
      f" 280 jars, with the UI server's and Spark's), without the archive, one run: {fullcp[0]['startup_seconds']:.2f} s.")
if any("first_epoch_seconds" in r for r in rows):
    p("First epochs (training + evaluation): fused " + values("mnist-fused-", "first_total") + "; PyTorch "
      + values("mnist-torch-", "first_total") + ".")
acc = [(r["label"], r["epochs"][0].get("train_acc", r["epochs"][0].get("train", {}).get("acc")))
       for r in rows if r["label"].startswith("mnist-")]
p("Training accuracy after the epoch (a sanity check that each side learns; the initial weights and data order")
p("differ): " + ", ".join(f"{label} {a:.4f}" for label, a in acc if a is not None) + ".")
p()
p("### Floating-point work and achieved throughput")
p()
p(f"Per image, forward: 2·(784·256 + 256·20 + 20·10 + 20·256 + 256·784) = {FORWARD:,} FLOP. Training adds the")
p("two backward products of every layer (input gradient and weight gradient) except the input gradient of the")
p(f"first layer: 3·{FORWARD:,} − 2·784·256 = {TRAIN:,} FLOP per image (the upper estimate 3·forward is")
p(f"{3 * FORWARD:,}). An epoch: 60,000 × {TRAIN:,} = {EPOCH_FLOP / 1e9:.1f} GFLOP; the evaluation:")
p(f"70,000 × {FORWARD:,} = {EVAL_FLOP / 1e9:.1f} GFLOP. Element-wise work (activations, Adam on 410k parameters)")
p("is not counted.")
p()
p("| | Java (ND4J) | PyTorch |")
p("|---|---|---|")
p(f"| measured GEMM 2048³, float (GFLOP/s) | {gj:.1f} | {gt:.1f} |")
p(f"| measured GEMM 128×784×256, float (GFLOP/s) | {mj:.1f} | {mt:.1f} |")
for label, prefix, gemm, mgemm in [("fused", "mnist-fused-", gj, mj), ("samediff", "mnist-samediff-", gj, mj),
                                   ("PyTorch", "mnist-torch-", gt, mt)]:
    e, v = med(prefix, "epoch_seconds"), med(prefix, "eval_seconds")
    if e == e:
        p(f"| {label}: training GFLOP/s (fraction of 2048³ / MNIST-shaped GEMM) | {EPOCH_FLOP / e / 1e9:.1f} "
          f"({EPOCH_FLOP / e / 1e9 / gemm:.0%} / {EPOCH_FLOP / e / 1e9 / mgemm:.0%}) | |"
          if label != "PyTorch" else
          f"| {label}: training GFLOP/s (fraction of 2048³ / MNIST-shaped GEMM) | | {EPOCH_FLOP / e / 1e9:.1f} "
          f"({EPOCH_FLOP / e / 1e9 / gemm:.0%} / {EPOCH_FLOP / e / 1e9 / mgemm:.0%}) |")
        p(f"| {label}: evaluation GFLOP/s | " + (f"{EVAL_FLOP / v / 1e9:.1f} | |" if label != "PyTorch"
                                                 else f"| {EVAL_FLOP / v / 1e9:.1f} |"))
p()
p("### Threads")
p()
two = {r["label"]: r for r in rows if "2threads" in r["label"]}
if two:
    p("Both sides' 2-thread runs wait passively between parallel regions (`OMP_WAIT_POLICY=PASSIVE`): with OpenMP's")
    p("default spinning, PyTorch's 2-thread MNIST epoch took 10–11 s on the 2-core machine, with passive waiting")
    p("4.7–4.9 s; the Java side did not change.")
    p()
    p("| | Java fused | PyTorch |")
    p("|---|---|---|")
    p(f"| training epoch, {machine.get('threads', '').split(',')[0]} (median above) | {med('mnist-fused-', 'epoch_seconds'):.2f} "
      f"| {med('mnist-torch-', 'epoch_seconds'):.2f} |")
    f2, t2 = two.get("mnist-fused-2threads"), two.get("mnist-torch-2threads")
    p(f"| training epoch, 2 threads (one run) | {f2['epoch_seconds'] if f2 else float('nan'):.2f} "
      f"| {t2['epoch_seconds'] if t2 else float('nan'):.2f} |")
    p(f"| evaluation, 2 threads (one run) | {f2['eval_seconds'] if f2 else float('nan'):.2f} "
      f"| {t2['eval_seconds'] if t2 else float('nan'):.2f} |")
    if f2 and t2:
        r2 = ratio(f2["epoch_seconds"] + f2["eval_seconds"], t2["epoch_seconds"] + t2["eval_seconds"])
        p()
        p(f"**Status with 2 threads:** fused/PyTorch for epoch + evaluation = {versus(f2['epoch_seconds'] + f2['eval_seconds'], t2['epoch_seconds'] + t2['eval_seconds'])}"
          + (" (the goal is ≤ 1.0): " + ("met." if r2 <= 1.0 else "not met.") if not INCOMPARABLE else "."))
p()
def batch(size):
    r = runs(f"hidden{size}-java-")
    return r[0]["batch"] if r else "?"


def warm(size):
    r = runs(f"hidden{size}-torch-")
    return r[0].get("warmup", "?") if r else "?"


p(f"## 2. HiDDeN training throughput (images/s; batch {batch(64)} at 64 px, {batch(128)} at 128 px; 30 bits, "
  f"64 channels, baseline step with discriminator, random images; {warm(64)} untimed steps, then the timed steps)")
p()
p("Java: `HiddenSystem.trainOnBatch` on its default `fused` engine (`dev.constrained4j.models.hidden.fast`). Start-up")
p("is measured to the end of the first step; the untimed steps also let the JIT compile the vectorised loops.")
p()
p("| size | Java (HiddenSystem) | PyTorch | Java/PyTorch (≥ 1 is Java faster) | runs, Java | runs, PyTorch |")
p("|---|---|---|---|---|---|")
for size in [64, 128]:
    j, t = med(f"hidden{size}-java-", "images_per_second"), med(f"hidden{size}-torch-", "images_per_second")
    p(f"| {size} px | {j:.3f} | {t:.3f} | {versus(j, t, bold=True)} | {values(f'hidden{size}-java-', 'images_per_second', '{:.3f}')} "
      f"| {values(f'hidden{size}-torch-', 'images_per_second', '{:.3f}')} |")
def two_threads(prefix):
    return [r["images_per_second"] for r in rows if r["label"].startswith(prefix)]


h2j, h2t = two_threads("hidden64-java-2threads"), two_threads("hidden64-torch-2threads")
if h2j and h2t:
    j2, t2 = statistics.median(h2j), statistics.median(h2t)
    p(f"| 64 px, 2 threads (median of {len(h2j)} / {len(h2t)}) | {j2:.3f} | {t2:.3f} "
      f"| {versus(j2, t2, bold=True)} | {', '.join(f'{v:.3f}' for v in h2j)} | {', '.join(f'{v:.3f}' for v in h2t)} |")
if INCOMPARABLE:
    p()
    p(f"Java/PyTorch: not comparable: {INCOMPARABLE}.")
p()
p("| size | start-up to first step done, Java (s) | PyTorch (s) | peak RSS Java (MiB) | PyTorch (MiB) |")
p("|---|---|---|---|---|")
for size in [64, 128]:
    p(f"| {size} px | {med(f'hidden{size}-java-', 'startup_seconds'):.1f} | {med(f'hidden{size}-torch-', 'startup_seconds'):.1f} "
      f"| {med(f'hidden{size}-java-', 'max_rss_mb'):.0f} | {med(f'hidden{size}-torch-', 'max_rss_mb'):.0f} |")
p()
p("## 3. Memory: resident set size after each epoch")
p()
mem = [r for r in rows if r["label"] == "memory-fused"]
if mem:
    epochs = mem[0]["epochs"]
    rss = [e["rss_mb"] for e in epochs]
    p(f"The fused engine, {len(epochs)} epochs of the penalty mode on the first 10,000 training images, each followed by")
    p("the full evaluation (10,000 train + 10,000 test). After every epoch: the process's resident set size (RSS, from")
    p("`/proc/self/status`) and the Java heap the JVM has committed, in MiB" + (", every 10th epoch and the last:" if len(epochs) > 30 else ":"))
    p()
    shown = [e for e in epochs if len(epochs) <= 30 or e["epoch"] % 10 == 0 or e["epoch"] == len(epochs) - 1]
    p("| epoch | " + " | ".join(str(e["epoch"]) for e in shown) + " |")
    p("|---" * (len(shown) + 1) + "|")
    p("| RSS | " + " | ".join(f"{e['rss_mb']:.0f}" for e in shown) + " |")
    if "heap_committed_mb" in shown[0]:
        p("| Java heap committed | " + " | ".join(f"{e['heap_committed_mb']:.0f}" for e in shown) + " |")
    def slope(values, first):
        xs = list(range(first, len(values)))
        ys = values[first:]
        mx, my = statistics.mean(xs), statistics.mean(ys)
        return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    if len(rss) > 5:
        half = len(rss) // 2
        p()
        p(f"Least-squares slope of RSS over epochs {half}–{len(rss) - 1}: {slope(rss, half):+.2f} MiB/epoch (range"
          f" {min(rss[half:]):.0f}–{max(rss[half:]):.0f} MiB); over all epochs: {slope(rss, 0):+.2f} MiB/epoch. Peak RSS"
          f" of the process: {mem[0]['max_rss_mb']:.0f} MiB.")
        if "heap_committed_mb" in epochs[0]:
            heap = [e["heap_committed_mb"] for e in epochs]
            steps = sum(1 for a, b in zip(rss[half:], rss[half + 1:]) if b - a > 1)
            p(f"The committed Java heap moved {slope(heap, half):+.2f} MiB/epoch over the same half (range"
              f" {min(heap[half:]):.0f}–{max(heap[half:]):.0f} MiB). The RSS grows in {steps} steps of more than 1 MiB"
              f" over those {len(rss) - half} epochs and is flat between them, the pattern of the C allocator"
              " taking a new arena region now and then, not of arrays kept every epoch (the engine's buffers are"
              " allocated once; a kept evaluation batch would add megabytes every epoch). ND4J's own native"
              " allocations cannot be read from Java in M2.1: JavaCPP's `Pointer.totalBytes()` and ND4J's"
              " `AllocationsTracker` both stayed at 0 after a 100 MB `Nd4j.create`.")
p()
p("## What was changed on the strength of these figures, and what was not")
p()
p("- **The fused MNIST engine, second pass** (`docs/mnist-speed.md`; the figures of this page are its own). The")
p("  products go straight to OpenBLAS (`models.blas.DirectGemm`: `Nd4j.gemm`'s per-call overhead cost more than")
p("  the narrow layers' products, 68 µs against 3.4 µs for 128×20·20×10), every element-wise pass is one vector")
p("  loop fused with the bias gradients' sums (`MlpKernels`, with its own `exp`), Adam's float step is vectorised")
p("  (2.4 → 0.5–0.8 ms per step, bit for bit the same step), the pixels are written straight into ND4J memory. A")
p("  step went from 17.7 to about 6.8 ms on this machine, where the fair PyTorch loop had been 1.4× faster. The")
p("  JVM runs with the serial collector and a 32 MiB young generation (resident memory 834 → 478 MiB at the same")
p("  speed) and, in this script, a class-data-sharing archive (start-up about 4.0 → 2.5–3.0 s). By default the")
p("  Java side here loads the system's OpenBLAS, the library PyTorch calls (`JAVA_BLAS`), so both sides multiply")
p("  with the same code: its MNIST-shaped GEMM ran 80 GFLOP/s against the bundled 0.3.19's 60–68.")
p("- **Engine.** MNIST stages now run by default on the `fused` engine (`--engine fused|samediff`,")
p("  `dev.constrained4j.runners.mnist.fast`): a hand-written forward and backward pass of the fixed MLP with")
p("  every array allocated once (parameters and gradients are views of two flat vectors, activations live in")
p("  buffers sized for the batch, products are `gemm`s into them, activations are applied in place), the")
p("  per-sample cross-entropy and penalty computed in Java straight from the buffers' memory, and Adam in")
p("  PyTorch's form (coupled L2 on every parameter) as one float loop over Java-held moments: ND4J's `axpy` +")
p("  `adam_updater` + `subi` took 8.5–12 ms per step on the 410k parameters, the loop 1.3–1.8 ms (same process,")
p("  alternated), and, in float training, the decoder output x̂ = σ(a), the per-image MSE c_i and the sigmoid")
p("  gradient computed in one Java pass over the batch instead of six ND4J element-wise ops. Earlier runs of this")
p("  benchmark on the loaded machine (same alternation, MNIST epoch in s, fused vs PyTorch): with ND4J's Adam op")
p("  15.1 vs 5.8 and 21.3 vs 11.8; with the Java Adam loop 8.5 vs 8.2; the table above has the final code.")
p("  The objective keeps a single")
p("  definition, the SameDiff graph of `PenaltyObjective`; `FusedMnistMlpTest` checks that the fused objective and")
p("  every gradient equal that graph's `calculateGradients` to 1e-9 in double precision (none, identity, hinge,")
p("  squared hinge), that Adam steps equal SameDiff's `fit` (float, DL4J's ε form), that PyTorch's form equals a")
p("  hand computation of `torch.optim.Adam`, that evaluation metrics are equal, and that a checkpoint (parameters,")
p("  both moments, step count; written atomically) resumes bit for bit.")
p("- **Evaluation** runs through the same buffers (forward only, batch `--eval-batch-size`, default 2000), reading")
p("  per-sample values without copies. Batches of 256, 2000 and 10000 were tried, twice each, on the loaded")
p("  machine: evaluation 8.1/6.7 s, 7.4/3.7 s and 6.1/776 s (the last during a memory-pressure episode of the")
p("  machine, kswapd busy, load 32). No size was reliably faster and 10000 needs ~140 MiB more, so 2000 stays.")
p("- **Threads.** `--threads` (`Threads.apply`) takes effect whether or not `OMP_NUM_THREADS` is set (1 vs 2")
p("  busy BLAS threads counted in `/proc`). One thread stays the default, which CI's and the tests' figures assume;")
p("  with the direct products two threads now train the MNIST network faster on an idle 2-core machine (the")
p("  2-thread rows above), but on a loaded one an earlier engine took 48.3 s against 12.3 s with one.")
p("- **AVX-512 natives** (`nd4j-native:1.0.0-M2.1:linux-x86_64-onednn-avx512` from Maven Central, swapped for the")
p("  default `-onednn` jar on the same class path; JavaCPP's debug log confirmed the `onednn-avx512` `libnd4jcpu.so`")
p("  loaded), alternated twice on this machine: HiDDeN 64 px, batch 16: 6.36 and 6.05 images/s with the default,")
p("  5.53 and 6.83 with AVX-512; MNIST penalty epoch 4.23 and 3.87 s against 4.83 and 3.62 s, evaluation 0.92 and")
p("  1.11 s against 1.24 and 0.92 s. No consistent gain (the convolutions are oneDNN's own JIT code, which picks")
p("  AVX-512 at run time anyway, and GEMMs are OpenBLAS's, which does too), so the portable `-onednn` natives stay")
p("  the default.")
p("- **SameDiff's reported objective** (found while testing): in M2.1 the loss SameDiff passes to its listeners")
p("  holds `[objective = 0, L2Regularization]`, so the `samediff` engine's per-epoch mean objective is the L2 term")
p("  only; its training is unaffected (parameters equal the fused engine's). The fused engine reports the true")
p("  objective.")
p("- **HiDDeN** trains by default on its own fused engine (`dev.constrained4j.models.hidden.fast`, `docs/hidden-speed.md`),")
p("  0.55 images/s at 64 px (batch 4) on the SameDiff graphs before it, against PyTorch's 5.8. What changed the figure")
p("  most, in order: (1) hand-written passes on channels-last buffers allocated once, with the convolutions as single")
p("  oneDNN `conv2d`/`conv2d_bp` ops (NHWC forward 7.6 ms against 10.5–13.9 ms in NCHW at 64 px, batch 4) and the")
p("  encoder run once per step: 0.55 → 3.96 images/s, peak memory 4.6 GB → 0.65 GB; (2) the element-wise loops")
p("  of batch norm and ReLU without branches, then vectorised with the JDK's vector API (the ReLU mask and channel")
p("  sums of the backward pass: 8.6 → 2.0 → 0.39 ms per million elements): 3.96 → 5.7 images/s; (3) the")
p("  discriminator's input gradient in the generator step as one transposed convolution (no weight gradient,")
p("  which PyTorch computes and discards there); (4) the first blocks' weight gradient as one im2col GEMM")
p("  (10.5 ms against `conv2d_bp`'s 29–38 ms at 64 px, batch 16) and, from 128 px, `conv2d_bp` one image at a")
p("  time (20.0 against 30.7 ms per image at batch 8). `FusedHiddenTest` and `ConvOpsTest` hold these to the")
p("  SameDiff graphs and to plain `conv2d_bp`.")

# The sections below "## Long-run health" come from bench/long-run.sh runs and are written by hand: carried over.
if previous and os.path.exists(previous):
    text = open(previous, encoding="utf-8").read()
    at = text.find("\n## Long-run health")
    if at >= 0:
        p()
        p(text[at + 1:].rstrip())
