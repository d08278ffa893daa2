"""Mirrors the book's chapter 1 (Amdahl's law, a program with a serial
fraction): the workbook's tunable workload (crates/ch01/src/workload.rs)
sequentially, on threads and on worker processes, with the serial fraction
fitted back from the speed-ups (Karp–Flatt).

    python -m ch01.amdahl --units 2000 --serial 0.05 --workers 2
"""

import math
import threading
from concurrent.futures import ProcessPoolExecutor

from workbook import cli
from workbook.record import contenders, emit, measure_rounds, record

VARIANTS = ("seq", "threads", "dist")
MASK = (1 << 64) - 1
ROUNDS = 1000
CHUNK = 256


def unit(seed):
    """One unit of CPU work: rounds of a 64-bit mixer (as in Rust, mod 2**64)."""
    x = seed ^ 0x9E3779B97F4A7C15
    for _ in range(ROUNDS):
        x ^= x >> 31
        x = (x * 0xBF58476D1CE4E5B9) & MASK
        x ^= x >> 29
    return x


def serial_units(units, serial):
    return math.floor(units * serial + 0.5)  # Rust's round(): half away from 0


def chain(units, serial):
    """The serial part: each unit starts from the previous one's result."""
    x = 0
    for _ in range(serial_units(units, serial)):
        x = unit(x)
    return x


def partial_sum(start, end):
    total = 0
    for i in range(start, end):
        total = (total + unit(i)) & MASK
    return total


def run_seq(units, serial, workers):
    return {"chain": chain(units, serial), "sum": partial_sum(serial_units(units, serial), units)}


def run_threads(units, serial, workers):
    """Threads take chunks from a shared counter; the GIL runs one at a time."""
    first = chain(units, serial)
    lock = threading.Lock()
    state = {"next": serial_units(units, serial), "sum": 0}

    def work():
        mine = 0
        while True:
            with lock:
                start = state["next"]
                state["next"] += CHUNK
            if start >= units:
                break
            mine = (mine + partial_sum(start, min(start + CHUNK, units))) & MASK
        with lock:
            state["sum"] = (state["sum"] + mine) & MASK

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"chain": first, "sum": state["sum"]}


def _share(bounds):
    return partial_sum(*bounds)


def run_dist(units, serial, workers):
    """One worker process per share, each sent its range in a message."""
    first = chain(units, serial)
    start = serial_units(units, serial)
    length = units - start
    shares = [
        (start + length * i // workers, start + length * (i + 1) // workers)
        for i in range(workers)
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        total = 0
        for part in pool.map(_share, shares):
            total = (total + part) & MASK
    return {"chain": first, "sum": total}


FUNCTIONS = {"seq": run_seq, "threads": run_threads, "dist": run_dist}


def karp_flatt(speedup, workers):
    """The serial fraction that explains `speedup` on `workers`."""
    return (1 / speedup - 1 / workers) / (1 - 1 / workers)


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--units", type=cli.positive, default=2000)
    p.add_argument("--serial", type=float, default=0.05)
    p.add_argument("--workers", type=cli.positive, default=2)
    args = p.parse_args()
    if not 0.0 <= args.serial <= 1.0:
        p.error("--serial is a fraction between 0 and 1")
    verify = cli.verifier(run_seq(args.units, args.serial, 1))
    picked = contenders(
        cli.pick(args.variants, VARIANTS, p),
        lambda v: 1 if v == "seq" else args.workers,
        lambda v, w: FUNCTIONS[v](args.units, args.serial, w),
    )
    runs, answer = measure_rounds(picked, verify, args.reps)
    rec = record("ch01", "amdahl", {"units": args.units, "serial": args.serial}, runs, answer)
    for r in rec["runs"]:
        if r.get("speedup") and r["workers"] >= 2:
            r["extra"]["karp_flatt"] = karp_flatt(r["speedup"], r["workers"])
    emit(rec, args.json)


if __name__ == "__main__":
    main()
