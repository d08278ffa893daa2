"""Mirrors the book's chapter 6 mpi4py examples (work spread over MPI ranks):
fib(n) tasks sequentially and over ranks started by mpirun, rank r taking
tasks r, r + size, ..., the answers summed into rank 0 (a reduction), the
clock started at a barrier as in crates/ch06/src/bin/ch06-mpi/work.rs.

    python -m ch06.fib --n 30 --tasks 8 --workers 2
"""

import json
import os
import shutil
import subprocess
import sys
import time

from ch03.fib import fib, fib_expected
from workbook import cli
from workbook.record import Contender, emit, measure_rounds, record

VARIANTS = ("seq", "dist")
LIMIT_S = 600  # an MPI job that hangs is an error, not a wait
# As crates/ch06/src/launch.rs sets them: loopback, shared memory, no UCX.
QUIET_OPENMPI = {
    "OMPI_ALLOW_RUN_AS_ROOT": "1",
    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
    "OMPI_MCA_pml": "ob1",
    "OMPI_MCA_osc": "^ucx",
    "OMPI_MCA_btl": "self,vader,tcp",
    "OMPI_MCA_btl_tcp_if_include": "lo",
    "OMPI_MCA_oob_tcp_if_include": "lo",
}


def rank_main(n, tasks):
    """Inside a rank: compute my share; rank 0 prints answers and seconds."""
    from mpi4py import MPI

    world = MPI.COMM_WORLD
    rank, size = world.Get_rank(), world.Get_size()
    world.Barrier()
    start = MPI.Wtime()
    mine = [0] * tasks
    for i in range(rank, tasks, size):
        mine[i] = fib(n)
    answers = world.reduce(mine, op=_sum_lists, root=0)
    if rank == 0:
        seconds = MPI.Wtime() - start
        print(json.dumps({"answers": answers, "ranks": size, "seconds": seconds}))


def _sum_lists(a, b):
    return [x + y for x, y in zip(a, b)]


def fib_dist(n, tasks, ranks, inside):
    """`mpirun -n RANKS` of this module; rank 0's answers."""
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        raise SystemExit("no mpirun: apt-get install openmpi-bin")
    command = [mpirun, "--oversubscribe", "-n", str(ranks), sys.executable]
    command += ["-m", "ch06.fib", "--rank", "--n", str(n), "--tasks", str(tasks)]
    env = dict(os.environ, **QUIET_OPENMPI)
    done = subprocess.run(command, capture_output=True, text=True, timeout=LIMIT_S, env=env)
    if done.returncode != 0:
        raise SystemExit(f"mpirun failed ({done.returncode}): {done.stderr[-2000:]}")
    line = json.loads(done.stdout.strip().splitlines()[0])
    inside.append(line["seconds"])
    return line["answers"]


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--n", type=cli.positive, default=30)
    p.add_argument("--tasks", type=cli.positive, default=8)
    p.add_argument("--workers", type=cli.positive, default=2, help="MPI ranks")
    p.add_argument("--rank", action="store_true", help=argparse_suppress())
    args = p.parse_args()
    if args.rank:
        rank_main(args.n, args.tasks)
        return
    tasks = [args.n] * args.tasks
    want = [fib_expected(n) for n in tasks]
    verify = cli.verifier(want, "wrong answers: {got} != {want}")

    inside = []
    functions = {
        "seq": lambda: [fib(n) for n in tasks],
        "dist": lambda: fib_dist(args.n, args.tasks, args.workers, inside),
    }
    contenders = [
        Contender(v, 1 if v == "seq" else args.workers, functions[v])
        for v in cli.pick(args.variants, VARIANTS, p)
    ]
    runs, answer = measure_rounds(contenders, verify, args.reps)
    for r in runs:
        if r["variant"] == "dist" and inside:
            r["extra"]["in_ranks_s"] = sorted(inside)[len(inside) // 2]
    size = {"n": args.n, "tasks": args.tasks}
    emit(record("ch06", "fib", size, runs, {"sum": sum(answer)}), args.json)


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
