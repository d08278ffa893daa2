"""Mirrors the book's chapter 2 grep.py: cat | grep | count over the
generated corpus (the file the Rust side writes, target/ch02/corpus.txt) as a
plain loop, as pushed coroutines, and as threads joined by queues.

    python -m ch02.grep --file ../target/ch02/corpus.txt -i love
"""

from ch02 import pipeline
from workbook import cli
from workbook.record import contenders, emit, measure_rounds, record

VARIANTS = ("seq", "threads", "async")


def grep_seq(path, pattern, ignore_case):
    pattern = pattern.lower() if ignore_case else pattern
    with open(path, encoding="utf-8") as lines:
        return sum(1 for line in lines if pipeline.matches(line, pattern, ignore_case))


def grep_coroutines(path, pattern, ignore_case):
    """The book's way: cat pushes each line into grep, grep into count."""
    result = {}
    pipeline.cat(path, pipeline.grep(pattern, pipeline.count(result, 0), ignore_case))
    return result[0]


def grep_threads(path, pattern, ignore_case):
    return pipeline.threaded_chains(path, [pattern], ignore_case)[0]


FUNCTIONS = {"seq": grep_seq, "threads": grep_threads, "async": grep_coroutines}
# Threads as the Rust side counts them: cat, grep, count.
WORKERS = {"seq": 1, "threads": 3, "async": 1}


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--file", required=True)
    p.add_argument("-i", "--ignore-case", action="store_true")
    p.add_argument("pattern")
    args = p.parse_args()
    want = grep_seq(args.file, args.pattern, args.ignore_case)
    picked = contenders(
        cli.pick(args.variants, VARIANTS, p),
        WORKERS.get,
        lambda v, _: FUNCTIONS[v](args.file, args.pattern, args.ignore_case),
    )
    verify = cli.verifier(want, "counted {got}, expected {want}")
    runs, answer = measure_rounds(picked, verify, args.reps)
    for r in runs:
        r["extra"]["count"] = answer
    size = {"pattern": args.pattern}
    emit(record("ch02", "grep", size, runs, {"count": answer}), args.json)


if __name__ == "__main__":
    main()
