"""The results record (the workbook's JSON schema), written by the Python side.

Same fields as crates/workbench/src/record.rs, with "language": "python";
"answer" holds what the example computed, so `cargo xtask compare` can check
it against the answer the Rust side verified.
"""

import datetime
import json
import os
import platform
import resource
import statistics
import sys
import time


def machine():
    """The machine, as workbench's `Machine` describes it."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "os": f"{platform.system()} {platform.release()}",
        "rustc": "",
        "profile": "python",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "when": datetime.datetime.now(datetime.timezone.utc)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
    }


def cpu_seconds():
    """User + system CPU of this process and its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Contender:
    """One variant on one worker count: `run()` returns the answer."""

    def __init__(self, variant, workers, run):
        self.variant = variant
        self.workers = workers
        self.run = run
        self.samples = []


def contenders(variants, workers, run):
    """A Contender per variant: on `workers(variant)` workers, running
    `run(variant, workers)`."""
    return [
        Contender(v, workers(v), lambda v=v, w=workers(v): run(v, w)) for v in variants
    ]


def measure_rounds(contenders, verify, reps, warmup=1):
    """Warm up and verify each contender, then time them in rounds (every
    contender once, then again), so a slow minute falls on all alike.
    Returns the runs (median by wall time) and the last answer."""
    answer = None
    for c in contenders:
        for _ in range(warmup):
            answer = c.run()
            verify(answer)
    for _ in range(reps):
        for c in contenders:
            cpu0, t0 = cpu_seconds(), time.perf_counter()
            got = c.run()
            wall = time.perf_counter() - t0
            c.samples.append((wall, cpu_seconds() - cpu0))
            verify(got)
            answer = got
    runs = []
    for c in contenders:
        wall, cpu = sorted(c.samples)[len(c.samples) // 2]
        runs.append(
            {
                "variant": c.variant,
                "workers": c.workers,
                "wall_s": wall,
                "cpu_s": cpu,
                "verified": True,
                "extra": {},
            }
        )
    return runs, answer


def record(chapter, example, size, runs, answer):
    """The record, with speed-ups against `seq` when it ran."""
    base = next((r["wall_s"] for r in runs if r["variant"] == "seq"), None)
    if base is not None:
        for r in runs:
            if "skipped" not in r:
                r["speedup"] = base / r["wall_s"]
                r["efficiency"] = r["speedup"] / max(r["workers"], 1)
    return {
        "chapter": chapter,
        "example": example,
        "language": "python",
        "size": size,
        "machine": machine(),
        "runs": runs,
        "answer": answer,
    }


def emit(rec, path):
    """Write the record to `path` (stdout when None) and a line per run."""
    text = json.dumps(rec, indent=2)
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    else:
        print(text)
    for r in rec["runs"]:
        wall = "skipped: " + r["skipped"] if "skipped" in r else f"{r['wall_s']:.3f} s"
        print(f"{r['variant']:>12} x{r['workers']:<3} {wall}", file=sys.stderr)


def median(values):
    return statistics.median(values)
