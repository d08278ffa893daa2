"""Mirrors the book's chapter 4 mergesort.py and main.py: 1,000,000 seeded
integers sorted by the book's recursive merge sort in one process, and cut
into four chunks sent as Celery `sort` tasks (the chapter's Python worker,
crates/ch04/python/tasks.py) through Redis, merged with heapq.merge.

    python -m ch04.mergesort --numbers 1000000 --broker redis://127.0.0.1:PORT/0
"""

import os
import hashlib
import heapq

from workbook import cli
from workbook.record import Contender, emit, measure_rounds, record

VARIANTS = ("seq", "sorted", "dist")
CHUNKS = 4
MASK = (1 << 64) - 1


def seeded_numbers(count, seed):
    """SplitMix64, as crates/ch04/src/mergesort.rs: the same input."""
    state, out = seed, []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        out.append((z ^ (z >> 31)) % 10_000_000)
    return out


def merge(left, right):
    merged, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            merged.append(left[i])
            i += 1
        else:
            merged.append(right[j])
            j += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged


def mergesort(numbers):
    """The book's top-down merge sort, in the interpreter."""
    if len(numbers) <= 1:
        return numbers
    middle = len(numbers) // 2
    return merge(mergesort(numbers[:middle]), mergesort(numbers[middle:]))


def chunks(numbers, parts):
    size = max(1, -(-len(numbers) // parts))
    return [numbers[i : i + size] for i in range(0, len(numbers), size)]


def sort_dist(app, numbers):
    """The book's main.py: a group of `sort` tasks, merged here."""
    pending = [app.send_task("sort", kwargs={"numbers": c}) for c in chunks(numbers, CHUNKS)]
    return list(heapq.merge(*(p.get(timeout=300) for p in pending)))


def digest(numbers):
    return hashlib.sha256(",".join(map(str, numbers)).encode()).hexdigest()


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--numbers", type=cli.positive, default=1_000_000)
    p.add_argument("--broker", default=os.environ.get("REDIS_URL"),
                   help="Redis URL of running Celery workers, for dist (default: $REDIS_URL)")
    p.add_argument("--workers", type=cli.positive, default=2, help="workers behind --broker")
    args = p.parse_args()
    variants = cli.pick(args.variants, VARIANTS, p)
    if "dist" in variants and not args.broker:
        p.error("dist needs --broker (Celery workers of crates/ch04/python/tasks.py)")
    numbers = seeded_numbers(args.numbers, 2016)
    want = sorted(numbers)

    def verify(answer):
        if answer != want:
            raise SystemExit("the merged result is not the sorted input")

    app = None
    if args.broker:
        from celery import Celery

        app = Celery("ch04-compare", broker=args.broker, backend=args.broker)
        app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    functions = {
        "seq": lambda: mergesort(numbers),
        "sorted": lambda: sorted(numbers),
        "dist": lambda: sort_dist(app, numbers),
    }
    contenders = [
        Contender(v, args.workers if v == "dist" else 1, functions[v]) for v in variants
    ]
    runs, answer = measure_rounds(contenders, verify, args.reps)
    size = {"numbers": args.numbers, "chunks": CHUNKS}
    summary = {"input_sum": sum(numbers), "input_head": numbers[:5], "sorted_sha256": digest(answer)}
    emit(record("ch04", "mergesort", size, runs, summary), args.json)


if __name__ == "__main__":
    main()
