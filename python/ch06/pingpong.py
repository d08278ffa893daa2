"""Mirrors the book's chapter 6 mpi4py point-to-point example as a ping-pong:
rank 0 sends a message of N bytes to rank 1, which sends it straight back;
half the median round trip is the one-way latency. The same trips, warm-up
and barrier per trip as crates/ch06/src/bin/ch06-mpi/pingpong.rs, with
buffer-based Send/Recv (mpi4py's fast path, no pickling) on numpy-free
bytearrays.

    python -m ch06.pingpong --sizes 8,4096,1048576 --iters 2000 --rounds 3
"""

import json
import os
import shutil
import subprocess
import sys

from ch06.fib import LIMIT_S, QUIET_OPENMPI, argparse_suppress
from workbook import cli
from workbook.record import emit, record


def round_trip(world, bytes_, iters):
    """Seconds per round trip (median of `iters`), rank 0 only."""
    from mpi4py import MPI

    message = bytearray(b"\x07" * bytes_)
    trips = []
    warm_up = max(iters // 10, 5)
    rank = world.Get_rank()
    for trip in range(warm_up + iters):
        world.Barrier()
        if rank == 0:
            start = MPI.Wtime()
            world.Send([message, MPI.BYTE], dest=1)
            world.Recv([message, MPI.BYTE], source=1)
            if trip >= warm_up:
                trips.append(MPI.Wtime() - start)
        elif rank == 1:
            world.Recv([message, MPI.BYTE], source=0)
            world.Send([message, MPI.BYTE], dest=0)
    if any(b != 7 for b in message[:16]):
        raise SystemExit("the message came back changed")
    trips.sort()
    return trips[len(trips) // 2] if trips else 0.0


def rank_main(sizes, iters):
    from mpi4py import MPI

    world = MPI.COMM_WORLD
    for bytes_ in sizes:
        trips = min(max(iters * 1024 // max(bytes_, 1024), 50), max(iters, 50))
        seconds = round_trip(world, bytes_, trips)
        if world.Get_rank() == 0:
            print(json.dumps({"bytes": bytes_, "iters": trips, "seconds": seconds}))


def one_round(sizes, iters):
    """`mpirun -n 2` of this module; rank 0's line per size."""
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        raise SystemExit("no mpirun: apt-get install openmpi-bin")
    command = [mpirun, "--oversubscribe", "-n", "2", sys.executable, "-m", "ch06.pingpong"]
    command += ["--rank", "--sizes", ",".join(map(str, sizes)), "--iters", str(iters)]
    env = dict(os.environ, **QUIET_OPENMPI)
    done = subprocess.run(command, capture_output=True, text=True, timeout=LIMIT_S, env=env)
    if done.returncode != 0:
        raise SystemExit(f"mpirun failed ({done.returncode}): {done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--sizes", default="8,64,512,4096,32768,262144,1048576")
    p.add_argument("--iters", type=cli.positive, default=2000)
    p.add_argument("--rounds", type=cli.positive, default=3)
    p.add_argument("--rank", action="store_true", help=argparse_suppress())
    args = p.parse_args()
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        p.error(f"--sizes `{args.sizes}` is not a comma-separated list of byte counts")
    if any(s < 1 or s > 64 << 20 for s in sizes):
        p.error("message sizes must be 1 byte to 64 MiB")
    if args.rank:
        rank_main(sizes, args.iters)
        return
    samples = {s: [] for s in sizes}
    trips = {}
    for _ in range(args.rounds):
        for line in one_round(sizes, args.iters):
            samples[line["bytes"]].append(line["seconds"])
            trips[line["bytes"]] = line["iters"]
    runs = []
    for s in sizes:
        if not samples[s]:
            raise SystemExit(f"no result for {s} B")
        seconds = sorted(samples[s])[len(samples[s]) // 2]
        runs.append({"variant": variant_name(s), "workers": 2, "wall_s": seconds / 2,
                     "cpu_s": 0.0, "verified": True,
                     "extra": {"latency_us": seconds / 2 * 1e6,
                               "bandwidth_mb_s": s / (seconds / 2) / 1e6}})
    answer = {"sizes": sizes, "iters": [trips[s] for s in sizes]}
    emit(record("ch06", "pingpong", {"sizes": sizes}, runs, answer), args.json)


def variant_name(bytes_):
    """8 B, 64 KiB, 1 MiB: as crates/ch06/src/pingpong.rs `human_bytes`."""
    if bytes_ >= 1 << 20 and bytes_ % (1 << 20) == 0:
        return f"{bytes_ >> 20} MiB"
    if bytes_ >= 1 << 10 and bytes_ % (1 << 10) == 0:
        return f"{bytes_ >> 10} KiB"
    return f"{bytes_} B"


if __name__ == "__main__":
    main()
