"""Summary of one bench/long-run.sh measurement: reads DIR/samples.csv (and gc.log, the class histograms and the
NMT diff beside it) and prints a Markdown section to standard output.

    /usr/bin/python3 bench/long_run_summary.py DIR EPOCHS

A sample's epoch is the number of epochs completed when it was taken (0-based: during epoch k it is k).
Figures: each quantity at epoch 10, half-way and at the end (the median of the samples taken during the SPAN
epochs starting there, SPAN = max(2, EPOCHS // 50); the end window is the SPAN epochs before the last one, which
holds the final heap histogram's full GC), the growth from epoch 10 to the end, the least-squares slope per 100
epochs over every sample from epoch 10 to the end window (a window without samples, in a run faster than the
sampling, takes the 3 samples nearest to it) and over those of its second half (a leak keeps its
slope, an allocator settling loses it), and the maximum over the whole process (report and
final test included).

Two verdicts, each "flat" or "grows" (naming what grew), from epoch 10 to the end:
  - RSS: the process's RSS grows by less than 5 % of its value at epoch 10 and by less than 50 MiB;
  - leaks: the RSS outside the Java heap's address range meets the same bound, the live Java heap (class histogram
    after a full GC, epoch 5 against the last epoch) grows by less than 10 % and less than 16 MiB, open file
    descriptors change by at most 3 and threads by at most 4.
The histogram's "live" heap includes ND4J's and JavaCPP's bookkeeping (DeallocatableReference, OpaqueDataBuffer,
Pointer$NativeDeallocator, an id String each) for the arrays that its own full GC has just found dead: look at the
classes that grew before reading a growth there as a leak.
They differ when the JVM commits more heap without holding more live objects (G1 grows the heap when its pauses
take a larger share of the wall time, as on a loaded machine), which raises the RSS up to -Xmx but leaks nothing.
Standard library only.
"""
import csv
import math
import re
import statistics
import sys
from pathlib import Path

WARMUP = 10
RSS_GROWTH_FRACTION, RSS_GROWTH_MB = 0.05, 50.0
HEAP_GROWTH_FRACTION, HEAP_GROWTH_MB = 0.10, 16.0
FD_TOLERANCE, THREAD_TOLERANCE = 3, 4


def read_samples(path):
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            row = {}
            for k, v in r.items():
                row[k] = float(v) if v not in ("", None) else math.nan
            rows.append(row)
    return rows


def slope_per_100(points):
    """Least-squares slope of (epoch, value) points, per 100 epochs; NaN with fewer than 2 distinct epochs."""
    points = [(x, y) for x, y in points if not math.isnan(y)]
    if len({x for x, _ in points}) < 2:
        return math.nan
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    return 100.0 * sxy / sxx


def at(rows, key, first, span, lo=0, hi=math.inf):
    """The median of the samples in epochs first .. first+span-1; when a fast run left none there, of the 3 samples
    nearest to that window among those in epochs lo .. hi-1."""
    usable = [r for r in rows if not math.isnan(r[key])]
    values = [r[key] for r in usable if first <= r["epoch"] < first + span]
    if not values:
        centre = first + (span - 1) / 2
        near = sorted((r for r in usable if lo <= r["epoch"] < hi), key=lambda r: abs(r["epoch"] - centre))[:3]
        values = [r[key] for r in near]
    return statistics.median(values) if values else math.nan


def gc_after(path, rows):
    """(epoch, heap after GC in MiB) for every young or full pause in the GC log, its epoch from the samples."""
    if not path.exists():
        return []
    pause = re.compile(r"^\[([0-9.]+)s\].*Pause (Young|Full).*?(\d+)M->(\d+)M\((\d+)M\)")
    out = []
    for line in path.read_text().splitlines():
        m = pause.match(line)
        if not m:
            continue
        uptime = float(m.group(1))
        before = [r for r in rows if r["elapsed_s"] <= uptime]
        if before:
            out.append((before[-1]["epoch"], float(m.group(4))))
    return out


def heap_expansions(path, rows):
    """(epoch, MiB added, short-term pause-time ratio %, threshold %) for every heap expansion G1 decided after a
    collection (the GC log's gc+ergo+heap lines: G1 grows the heap when its pauses take more of the wall time
    than the threshold)."""
    if not path.exists():
        return []
    decision = re.compile(r"^\[([0-9.]+)s\] GC\(\d+\) Heap expansion: short term pause time ratio ([0-9.]+)% .*"
                          r"threshold ([0-9.]+)% .*resize by (\d+)B")
    out = []
    for line in path.read_text().splitlines():
        m = decision.match(line)
        if m and int(m.group(4)) > 0:
            before = [r for r in rows if r["elapsed_s"] <= float(m.group(1))]
            out.append((before[-1]["epoch"] if before else 0, int(m.group(4)) / 2 ** 20, float(m.group(2)),
                        float(m.group(3))))
    return out


def histogram(path):
    """(total live bytes, {class: bytes}) from `jcmd GC.class_histogram`, or (NaN, {}) when absent."""
    if not path.exists():
        return math.nan, {}
    total, classes = math.nan, {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0].endswith(":") and parts[1].isdigit():
            classes[parts[3]] = int(parts[2])
        elif len(parts) == 3 and parts[0] == "Total":
            total = int(parts[2])
    return total, classes


def smaps(path, heap_range):
    """{(start address, kind, size in KiB): resident KiB} of the mappings outside the Java heap in a copy of
    /proc/PID/smaps; kind is the mapped file, [heap] (the C allocator's main arena), [stack] or "anonymous"."""
    if not path.exists():
        return {}
    lo, hi = heap_range
    out, key = {}, None
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts and re.fullmatch(r"[0-9a-f]+-[0-9a-f]+", parts[0]):
            start, stop = (int(x, 16) for x in parts[0].split("-"))
            key = None if lo <= start and stop <= hi else (start, parts[5] if len(parts) > 5 else "anonymous",
                                                            (stop - start) // 1024)
        elif key is not None and parts and parts[0] == "Rss:":
            out[key] = out.get(key, 0) + int(parts[1])
    return out


def mapping_growth(early, late):
    """Growth in MiB of the resident memory outside the Java heap, by kind: anonymous mappings (the C allocator's
    thread arenas, its large blocks, thread stacks, JIT code), [heap], and files."""
    def by_kind(m):
        kinds = {}
        for (_, kind, _), kb in m.items():
            k = kind if kind in ("[heap]", "anonymous") else ("[stack]" if kind.startswith("[stack") else "files")
            kinds[k] = kinds.get(k, 0) + kb
        return kinds
    e, l = by_kind(early), by_kind(late)
    return {k: ((l.get(k, 0) - e.get(k, 0)) / 1024, l.get(k, 0) / 1024) for k in sorted(set(e) | set(l))}


def fmt(v, digits=1):
    if isinstance(v, float) and math.isnan(v):
        return "n/a"
    return f"{v:.{digits}f}"


def main(directory, epochs):
    d = Path(directory)
    rows = read_samples(d / "samples.csv")
    for r in rows:  # samples.csv of an older version of long-run.sh lacks the heap's resident part
        r.setdefault("heap_rss_mb", math.nan)
        r.setdefault("outside_heap_rss_mb", math.nan)
    info = dict(l.split("=", 1) for l in (d / "command.txt").read_text().splitlines() if "=" in l) \
        if (d / "command.txt").exists() else {}
    command = info.get("command", "?")
    java_opts = info.get("java_opts", "")
    result = dict(line.split("=", 1) for line in (d / "result.txt").read_text().split()) \
        if (d / "result.txt").exists() else {}
    span = max(2, epochs // 50)
    mid = epochs // 2
    end = epochs - 1 - span
    last = epochs - 1  # the window of the slope ends before the last epoch
    if end < mid + span or not [r for r in rows if WARMUP <= r["epoch"] < last]:
        print(f"too few epochs ({epochs}) or samples after epoch {WARMUP} to judge")
        return
    gc = gc_after(d / "gc.log", rows)
    gc_rows = [{"epoch": e, "heap_after_gc_mb": v} for e, v in gc]
    h_early, classes_early = histogram(d / "histogram-early.txt")
    h_late, classes_late = histogram(d / "histogram-late.txt")
    late_file = d / "late-epoch.txt"
    late_epoch = late_file.read_text().strip() if late_file.exists() else "?"

    def line(label, key, source, digits=1):
        w = [r for r in source if WARMUP <= r["epoch"] < last]
        a, m, e = (at(source, key, first, span, WARMUP, last) for first in (WARMUP, mid, end))
        s = slope_per_100([(r["epoch"], r[key]) for r in w])
        s2 = slope_per_100([(r["epoch"], r[key]) for r in w if r["epoch"] >= mid])
        mx = max((r[key] for r in source if not math.isnan(r[key])), default=math.nan)
        return (label, a, m, e, e - a, s, s2, mx, digits)

    table = [
        line("RSS (MiB)", "rss_mb", rows),
        line("RSS anonymous (MiB)", "rss_anon_mb", rows),
        line("RSS file-backed (MiB)", "rss_file_mb", rows),
        line("Java heap used (MiB, jstat)", "heap_used_mb", rows),
        line("Java heap committed (MiB)", "heap_committed_mb", rows),
        line("Java heap resident (MiB, smaps)", "heap_rss_mb", rows),
        line("RSS outside the Java heap (MiB)", "outside_heap_rss_mb", rows),
        line("Java heap after each GC (MiB, GC log)", "heap_after_gc_mb", gc_rows),
        line("open file descriptors", "fds", rows, 0),
        line("threads", "threads", rows, 0),
        line("memory mappings (/proc/PID/maps lines)", "maps", rows, 0),
    ]
    by = {t[0]: t for t in table}
    rss10, rss_growth = by["RSS (MiB)"][1], by["RSS (MiB)"][4]
    heap_rss_growth = by["Java heap resident (MiB, smaps)"][4]
    outside10, outside_growth = by["RSS outside the Java heap (MiB)"][1], by["RSS outside the Java heap (MiB)"][4]
    fd_growth, thread_growth = by["open file descriptors"][4], by["threads"][4]
    heap_growth_mb = (h_late - h_early) / 2 ** 20

    name = d.name
    print(f"### {name}")
    print()
    opts = f"<.mvn/jvm.config options> {java_opts}".strip()
    print(f"Command: `java {opts} -cp … dev.constrained4j.runners.Main {command}`; "
          f"wall time {fmt(float(result.get('wall_s', 'nan')) / 60)} min, exit status {result.get('exit', '?')}, "
          f"{len(rows)} samples. Columns: the median of the samples taken during epochs "
          f"{WARMUP}–{WARMUP + span - 1}, {mid}–{mid + span - 1} and {end}–{last - 1} (0-based); growth = end − "
          f"epoch {WARMUP}; slopes: least squares over every sample from epoch {WARMUP} (or {mid}) to epoch "
          f"{last - 1}; "
          f"max over the whole process life (report and final test included).")
    print()
    print(f"| quantity | epoch {WARMUP} | epoch {mid} | end (epoch {end}+) | growth | slope per 100 epochs, "
          f"from epoch {WARMUP} | from epoch {mid} | max |")
    print("|---|---|---|---|---|---|---|---|")

    def signed(v, digits):
        return ("+" if not math.isnan(v) and v >= 0 else "") + fmt(v, digits)

    for label, a, m, e, g, s, s2, mx, digits in table:
        print(f"| {label} | {fmt(a, digits)} | {fmt(m, digits)} | {fmt(e, digits)} | {signed(g, digits)} | "
              f"{signed(s, 2)} | {signed(s2, 2)} | {fmt(mx, digits)} |")
    if not math.isnan(heap_growth_mb):
        print(f"| live Java heap after a full GC (MiB, class histogram) | {fmt(h_early / 2 ** 20)} (epoch 5) | | "
              f"{fmt(h_late / 2 ** 20)} (epoch {late_epoch}) | {'+' if heap_growth_mb >= 0 else ''}"
              f"{fmt(heap_growth_mb)} | | | |")
    print()

    if classes_early and classes_late:
        grown = sorted(((classes_late.get(c, 0) - classes_early.get(c, 0), c)
                        for c in set(classes_early) | set(classes_late)), reverse=True)[:5]
        print("Classes whose live bytes grew most between the two histograms: "
              + ", ".join(f"`{c}` {'+' if g >= 0 else ''}{g / 1024:.1f} KiB" for g, c in grown) + ".")
        print()
    expansions = heap_expansions(d / "gc.log", rows)
    if expansions:
        times = "once" if len(expansions) == 1 else f"{len(expansions)} times"
        print(f"G1 expanded the Java heap {times} after a collection because its recent pauses "
              f"took more of the wall time than its threshold: "
              + ", ".join(f"epoch {e:.0f} +{mb:.0f} MiB ({ratio:.2f} % > {threshold:.2f} %)"
                          for e, mb, ratio, threshold in expansions) + ".")
        print()
    heap_range = tuple(int(x, 16) for x in info.get("heap_range", "0 0").split())
    early_maps, late_maps = smaps(d / "smaps-early.txt", heap_range), smaps(d / "smaps-late.txt", heap_range)
    if early_maps and late_maps:
        growth = mapping_growth(early_maps, late_maps)
        print(f"Resident memory outside the Java heap by kind of mapping, epoch 5 → epoch {late_epoch} (MiB, "
              f"/proc/PID/smaps): " + ", ".join(f"{k} {g:+.1f} (to {t:.1f})" for k, (g, t) in growth.items())
              + f"; mappings {len(early_maps)} → {len(late_maps)}. Most grown: "
              + ", ".join(f"{kind} at {start:#x} ({size / 1024:.1f} MiB mapped) {early_maps.get(k, 0) / 1024:.1f} → "
                          f"{kb / 1024:.1f} MiB resident"
                          for kb, k, (start, kind, size) in sorted(
                              ((kb, k, k) for k, kb in late_maps.items()),
                              key=lambda t: t[0] - early_maps.get(t[1], 0), reverse=True)[:3]) + ".")
        print()
    nmt = d / "nmt-late-diff.txt"
    if nmt.exists():
        total = [l.strip() for l in nmt.read_text().splitlines() if l.strip().startswith("Total:")]
        if total:
            print(f"JVM native memory (NMT, epoch {late_epoch} against epoch 5): `{total[0]}`.")
            print()

    def bounded(growth, base, fraction, cap):
        return growth < fraction * base and growth < cap

    rss_verdict = "**flat**" if bounded(rss_growth, rss10, RSS_GROWTH_FRACTION, RSS_GROWTH_MB) else \
        f"**grows** (+{fmt(rss_growth)} MiB, of which the Java heap's resident part +{fmt(heap_rss_growth)} MiB)"
    problems = []
    if not bounded(outside_growth, outside10, RSS_GROWTH_FRACTION, RSS_GROWTH_MB):
        problems.append(f"RSS outside the heap +{fmt(outside_growth)} MiB")
    if not math.isnan(heap_growth_mb) and not bounded(heap_growth_mb, h_early / 2 ** 20, HEAP_GROWTH_FRACTION,
                                                      HEAP_GROWTH_MB):
        problems.append(f"live heap +{fmt(heap_growth_mb)} MiB")
    if abs(fd_growth) > FD_TOLERANCE:
        problems.append(f"fds {fd_growth:+.0f}")
    if abs(thread_growth) > THREAD_TOLERANCE:
        problems.append(f"threads {thread_growth:+.0f}")
    leak_verdict = "**flat**" if not problems else "**grows**"
    print(f"Verdict, RSS: {rss_verdict}. Leaks: {leak_verdict} (RSS outside the heap "
          f"{'+' if outside_growth >= 0 else ''}{fmt(outside_growth)} MiB, live heap "
          f"{'+' if heap_growth_mb >= 0 else ''}{fmt(heap_growth_mb)} MiB, fds {fd_growth:+.0f}, threads "
          f"{thread_growth:+.0f}). Thresholds from epoch {WARMUP} to the end: RSS and RSS outside the heap grow by "
          f"< {RSS_GROWTH_FRACTION:.0%} of their epoch-{WARMUP} value and < {RSS_GROWTH_MB:.0f} MiB; live heap "
          f"< {HEAP_GROWTH_FRACTION:.0%} and < {HEAP_GROWTH_MB:.0f} MiB; open fds ± {FD_TOLERANCE}; threads "
          f"± {THREAD_TOLERANCE}.")

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: long_run_summary.py DIR EPOCHS")
    main(sys.argv[1], int(sys.argv[2]))
