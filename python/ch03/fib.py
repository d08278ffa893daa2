"""Mirrors the book's chapter 3 fib.py, mtfib.py, mpfib.py and queues.py:
fib(n) tasks sequentially, on threads, on a ThreadPoolExecutor, on a
ProcessPoolExecutor and on queue workers stopped by a sentinel.

    python -m ch03.fib --n 30 --tasks 8 --workers 2 --json out.json
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from workbook import cli
from workbook.record import contenders, emit, measure_rounds, record
from workbook.threads import run_threads

VARIANTS = ("seq", "threads", "pool", "processes", "queues")


def fib(n):
    """The book's deliberately exponential Fibonacci."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_expected(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def fib_seq(tasks, workers):
    return [fib(n) for n in tasks]


def fib_threads(tasks, workers):
    """One thread per contiguous share of the tasks (the GIL lets one run
    Python at a time)."""
    answers = [0] * len(tasks)
    share = max(1, -(-len(tasks) // workers))

    def work(start):
        for i in range(start, min(start + share, len(tasks))):
            answers[i] = fib(tasks[i])

    run_threads(work, range(0, len(tasks), share))
    return answers


def fib_pool(tasks, workers):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fib, tasks))


def fib_processes(tasks, workers):
    """A fresh process pool each call: its start-up is part of the cost."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fib, tasks))


SENTINEL = None


def queue_worker(inbox, outbox):
    """Take (index, n) until the sentinel, answer (index, fib(n))."""
    while True:
        task = inbox.get()
        if task is SENTINEL:
            return
        index, n = task
        outbox.put((index, fib(n)))


def fib_queues(tasks, workers):
    inbox, outbox = multiprocessing.Queue(), multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=queue_worker, args=(inbox, outbox))
        for _ in range(workers)
    ]
    for p in procs:
        p.start()
    for task in enumerate(tasks):
        inbox.put(task)
    for _ in procs:
        inbox.put(SENTINEL)
    answers = [0] * len(tasks)
    for _ in tasks:
        index, value = outbox.get(timeout=600)
        answers[index] = value
    for p in procs:
        p.join()
    return answers


FUNCTIONS = {
    "seq": fib_seq,
    "threads": fib_threads,
    "pool": fib_pool,
    "processes": fib_processes,
    "queues": fib_queues,
}


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--n", type=cli.positive, default=30)
    p.add_argument("--tasks", type=cli.positive, default=8)
    p.add_argument("--workers", type=cli.positive, default=2)
    args = p.parse_args()
    if args.n > 40:
        p.error("--n above 40 takes minutes in Python")
    tasks = [args.n] * args.tasks
    want = [fib_expected(n) for n in tasks]
    verify = cli.verifier(want, "wrong answers: {got} != {want}")
    picked = contenders(
        cli.pick(args.variants, VARIANTS, p),
        lambda v: 1 if v == "seq" else args.workers,
        lambda v, w: FUNCTIONS[v](tasks, w),
    )
    runs, answer = measure_rounds(picked, verify, args.reps)
    size = {"n": args.n, "tasks": args.tasks}
    emit(record("ch03", "fib", size, runs, {"sum": sum(answer)}), args.json)


if __name__ == "__main__":
    main()
