"""Mirrors the book's chapter 2 mgrep.py: one cat fanned out to a grep | count
chain per pattern, as pushed coroutines (the book's dispatcher), as a plain
loop and as threads joined by queues.

    python -m ch02.mgrep --file ../target/ch02/corpus.txt -i love hate hope
"""

from ch02 import pipeline
from workbook import cli
from workbook.record import contenders, emit, measure_rounds, record

VARIANTS = ("seq", "threads", "async")


def mgrep_seq(path, patterns, ignore_case):
    wanted = [p.lower() if ignore_case else p for p in patterns]
    counts = [0] * len(patterns)
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            for k, pattern in enumerate(wanted):
                counts[k] += pipeline.matches(line, pattern, ignore_case)
    return counts


def mgrep_coroutines(path, patterns, ignore_case):
    result = {}
    chains = [
        pipeline.grep(p, pipeline.count(result, k), ignore_case) for k, p in enumerate(patterns)
    ]
    pipeline.cat(path, pipeline.dispatch(chains))
    return [result[k] for k in range(len(patterns))]


def mgrep_threads(path, patterns, ignore_case):
    return pipeline.threaded_chains(path, patterns, ignore_case)


FUNCTIONS = {"seq": mgrep_seq, "threads": mgrep_threads, "async": mgrep_coroutines}


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--file", required=True)
    p.add_argument("-i", "--ignore-case", action="store_true")
    p.add_argument("patterns", nargs="+")
    args = p.parse_args()
    want = mgrep_seq(args.file, args.patterns, args.ignore_case)
    # Workers as the Rust side counts them: one chain per pattern + the reader.
    picked = contenders(
        cli.pick(args.variants, VARIANTS, p),
        lambda v: len(args.patterns) + 1 if v == "threads" else 1,
        lambda v, _: FUNCTIONS[v](args.file, args.patterns, args.ignore_case),
    )
    verify = cli.verifier(want, "counted {got}, expected {want}")
    runs, answer = measure_rounds(picked, verify, args.reps)
    size = {"patterns": " ".join(args.patterns)}
    emit(record("ch02", "mgrep", size, runs, {"counts": answer}), args.json)


if __name__ == "__main__":
    main()
