"""Mirrors the book's chapter 4 test.py (an echo task), currency.py (a rate
task per currency pair) and its fib tasks on Celery: a Python client sending
to Python Celery workers (the chapter's crates/ch04/python/tasks.py,
`--pool solo`) through Redis. Measures a bare Redis PING (the floor), one
echo task's round trip (the per-task overhead), a group of echo tasks
(throughput), a group of rate tasks (each worker asking the rate service the
Rust side asked) and fib(n) tasks, local and through the workers.

    python -m ch04.overhead --broker redis://127.0.0.1:PORT/0 --round-trips 200 \
        --pairs-file pairs.json --rate-tasks 20 --latency-ms 50
"""

import os
import json
import time

from workbook import cli
from workbook.record import Contender, emit, measure_rounds, record

from ch03.fib import fib, fib_expected

FIB_TASKS = 16


def percentiles(samples):
    ordered = sorted(samples)
    at = lambda p: ordered[((len(ordered) - 1) * p) // 100]  # noqa: E731
    return at, {f"p{p}_ms": at(p) * 1e3 for p in (10, 50, 90, 99)}


def latency_run(variant, samples, floor=None):
    """As crates/ch04/src/overhead.rs: the median, percentiles, × PING."""
    at, extra = percentiles(samples)
    if floor:
        extra["x_ping"] = at(50) / floor
    extra["tasks_per_s"] = 1 / at(50)
    return {"variant": variant, "workers": 1, "wall_s": at(50), "cpu_s": 0.0,
            "verified": True, "extra": extra}


def round_trips(app, ping, calls):
    """PINGs and echo tasks, alternating, after a warm-up, as the Rust side."""
    def echo():
        start = time.perf_counter()
        got = app.send_task("echo", kwargs={"message": ""}).get(timeout=30)
        took = time.perf_counter() - start
        if got != "":
            raise SystemExit(f"echo answered {got!r}")
        return took

    for _ in range(min(calls, 50)):
        echo()
    pings, echoes = [], []
    for _ in range(calls):
        start = time.perf_counter()
        ping()
        pings.append(time.perf_counter() - start)
        echoes.append(echo())
    floor = latency_run("ping", pings)
    return [floor, latency_run("echo", echoes, floor["wall_s"])]


def echo_group(app, tasks):
    """Every task sent, then every result waited for (a Celery group)."""
    pending = [app.send_task("echo", kwargs={"message": str(i)}) for i in range(tasks)]
    return [p.get(timeout=600) for p in pending]


def rate_group(app, pairs):
    """The book's currency.py: a rate task per pair, sent as one group."""
    pending = [app.send_task("rate", kwargs={"pair": p}) for p in pairs]
    return [{"pair": p, "rate": r.get(timeout=60)} for p, r in zip(pairs, pending)]


def fib_dist(app, n):
    pending = [app.send_task("fib", args=[n]) for _ in range(FIB_TASKS)]
    return [p.get(timeout=600) for p in pending]


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--broker", default=os.environ.get("REDIS_URL"),
                   help="Redis URL of the Celery workers (default: $REDIS_URL, "
                   "which keeps a password out of the process list)")
    p.add_argument("--workers", type=cli.positive, default=2, help="workers behind --broker")
    p.add_argument("--round-trips", type=cli.positive, default=200,
                   help="timed round trips; the group has 10× as many echo tasks")
    p.add_argument("--n", type=cli.positive, default=30, help="fib(n) of each fib task")
    p.add_argument("--pairs-file", required=True,
                   help="a JSON list of currency pairs; the first --rate-tasks are asked")
    p.add_argument("--rate-tasks", type=cli.positive, default=20,
                   help="rate tasks in the group, one per pair")
    p.add_argument("--latency-ms", type=int, default=50,
                   help="the rate service's latency (recorded; the workers ask it)")
    args = p.parse_args()
    if not args.broker:
        p.error("--broker or REDIS_URL is needed")
    with open(args.pairs_file, encoding="utf-8") as f:
        pairs = json.load(f)[: args.rate_tasks]
    import redis
    from celery import Celery

    app = Celery("ch04-compare", broker=args.broker, backend=args.broker)
    app.conf.update(task_serializer="json", result_serializer="json",
                    accept_content=["json"])
    client = redis.Redis.from_url(args.broker, socket_timeout=10)
    runs = round_trips(app, client.ping, args.round_trips)
    tasks = 10 * args.round_trips
    want_echo = [str(i) for i in range(tasks)]
    want_fib = [fib_expected(args.n)] * FIB_TASKS

    quotes = []

    def verify(answer):
        if answer in (want_echo, want_fib):
            return
        if [q["pair"] for q in answer] != pairs or not all(
                isinstance(q["rate"], float) for q in answer):
            raise SystemExit("a group answered other than its tasks")
        if quotes and answer != quotes:
            raise SystemExit("the rate tasks answered other rates than before")
        quotes[:] = answer

    contenders = [
        Contender("echo_group", args.workers, lambda: echo_group(app, tasks)),
        Contender("rate_group", args.workers, lambda: rate_group(app, pairs)),
        Contender("seq", 1, lambda: [fib(args.n) for _ in range(FIB_TASKS)]),
        Contender("dist", args.workers, lambda: fib_dist(app, args.n)),
    ]
    timed, answer = measure_rounds(contenders, verify, args.reps)
    timed[0]["extra"]["tasks_per_s"] = tasks / timed[0]["wall_s"]
    timed[1]["extra"]["tasks_per_s"] = len(pairs) / timed[1]["wall_s"]
    for run in timed[2:]:
        run["extra"]["tasks_per_s"] = FIB_TASKS / run["wall_s"]
    size = {"round_trips": args.round_trips, "echo_tasks": tasks,
            "fib_n": args.n, "fib_tasks": FIB_TASKS,
            "rate_tasks": len(pairs), "latency_ms": args.latency_ms}
    fib_seq = next(r for r in timed if r["variant"] == "seq")
    summary = {"fib_sum": sum(answer), "echoed": tasks, "quotes": quotes}
    rec = record("ch04", "celery", size, runs + timed, summary)
    # Speed-ups only mean something among the fib runs.
    for r in rec["runs"]:
        r.pop("speedup", None)
        r.pop("efficiency", None)
    fib_seq["speedup"] = 1.0
    dist = next(r for r in timed if r["variant"] == "dist")
    dist["speedup"] = fib_seq["wall_s"] / dist["wall_s"]
    emit(rec, args.json)


if __name__ == "__main__":
    main()
