"""Mirrors the book's chapter 4 Python-RQ example (rq/main.py and
start_workers.py): two `rq worker` processes on Redis, fib(24..27) and four
chunks of 200,000 seeded numbers enqueued as jobs, every result waited for
and checked; the same jobs as `ch04 rq` (crates/ch04/src/rq/example.rs).
Jobs travel as JSON (RQ's JSONSerializer), never pickle.

    python -m ch04.rqjobs --broker redis://127.0.0.1:PORT/0 --workers 2
"""

import os
import subprocess
import sys
import time
import urllib.parse

from ch03.fib import fib as fib_recursive, fib_expected
from ch04.mergesort import chunks, seeded_numbers
from workbook import cli
from workbook.record import Contender, emit, measure_rounds, record

FIBS = (24, 25, 26, 27)
SORT_NUMBERS, SORT_SEED, SORT_CHUNKS = 200_000, 4, 4
LIMIT_S = 300


# --- the jobs, imported by the workers as ch04.rqjobs.fib / .sort -----------

def fib(n):
    return fib_recursive(n)


def sort(numbers):
    return sorted(numbers)


# --- the driver ----------------------------------------------------------------

def jobs():
    """(function, argument, expected answer) for every job."""
    out = [("ch04.rqjobs.fib", n, fib_expected(n)) for n in FIBS]
    for chunk in chunks(seeded_numbers(SORT_NUMBERS, SORT_SEED), SORT_CHUNKS):
        out.append(("ch04.rqjobs.sort", chunk, sorted(chunk)))
    return out


def own_database(url, database=1):
    """The Redis URL on a database of its own (the Rust queue used 0)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))


def start_workers(url, count):
    """`rq worker` processes; returns once every one has registered."""
    from redis import Redis
    from rq import Worker

    rq = os.path.join(os.path.dirname(sys.executable), "rq")
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=here)
    workers = [
        subprocess.Popen([rq, "worker", "--url", url, "-S", "json", "--quiet",
                          "--name", f"compare-{i}-{os.getpid()}", "default"],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for i in range(count)
    ]
    connection = Redis.from_url(url, socket_timeout=10)
    deadline = time.monotonic() + 60
    while Worker.count(connection=connection) < count:
        for w in workers:
            if w.poll() is not None:
                stop(workers)
                raise SystemExit(f"an rq worker exited: {w.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            stop(workers)
            raise SystemExit("the rq workers did not register within a minute")
        time.sleep(0.05)
    return workers


def stop(workers):
    for w in workers:
        w.kill()
        w.wait()


def run_jobs(queue, todo):
    """Enqueue every job, then wait for every result (RQ 2+: `latest_result`)."""
    from rq.job import JobStatus

    enqueued = [queue.enqueue(f, arg, job_timeout=LIMIT_S) for f, arg, _ in todo]
    deadline = time.monotonic() + LIMIT_S
    answers = [None] * len(enqueued)
    waiting = set(range(len(enqueued)))
    while waiting:
        for i in list(waiting):
            status = enqueued[i].get_status(refresh=True)
            if status == JobStatus.FINISHED:
                answers[i] = enqueued[i].return_value()
                waiting.discard(i)
            elif status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
                raise SystemExit(f"job {todo[i][0]} {status}: {enqueued[i].exc_info}")
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(waiting)} jobs not done after {LIMIT_S} s")
        if waiting:
            time.sleep(0.02)  # a poll every 20 ms: the workers need the CPU more
    return answers


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--broker", default=os.environ.get("REDIS_URL"),
                   help="Redis URL, a database of its own is used (default: $REDIS_URL)")
    p.add_argument("--workers", type=cli.positive, default=2, help="rq worker processes")
    args = p.parse_args()
    if not args.broker:
        p.error("--broker or REDIS_URL is needed")
    from redis import Redis
    from rq import Queue
    from rq.serializers import JSONSerializer

    url = own_database(args.broker)
    connection = Redis.from_url(url, socket_timeout=10)
    connection.flushdb()
    queue = Queue("default", connection=connection, serializer=JSONSerializer)
    todo = jobs()
    want = [expected for _, _, expected in todo]

    def verify(answers):
        if answers != want:
            raise SystemExit("an RQ job answered other than its local computation")

    workers = start_workers(url, args.workers)
    try:
        contender = Contender("rq", args.workers, lambda: run_jobs(queue, todo))
        runs, answers = measure_rounds([contender], verify, args.reps)
    finally:
        stop(workers)
    size = {"jobs": len(todo), "workers": args.workers}
    summary = {
        "fib": answers[: len(FIBS)],
        "sort_input_sums": [sum(arg) for f, arg, _ in todo if f.endswith("sort")],
    }
    emit(record("ch04", "rq", size, runs, summary), args.json)


if __name__ == "__main__":
    main()
