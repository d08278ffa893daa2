"""Mirrors the book's chapter 3 currency.py (exchange rates, one request
after another, then one thread per pair), plus the same lookups on asyncio:
against the workbook's local exchange-rate service.

    python -m ch03.currency --url http://127.0.0.1:PORT --pairs-file pairs.json --pairs 12
"""

import asyncio
import json
import urllib.request

from ch02.fetch import fetch_all, new_session
from workbook import cli
from workbook.record import Contender, emit, measure_rounds, record
from workbook.threads import run_threads

VARIANTS = ("seq", "threads", "async")
TIMEOUT_S = 30  # every request has a deadline


def get_rate(url, pair):
    with urllib.request.urlopen(f"{url}/rate/{pair}", timeout=TIMEOUT_S) as response:
        quote = json.load(response)
        return {"pair": quote["pair"], "rate": quote["rate"]}


def rates_seq(url, pairs):
    return [get_rate(url, p) for p in pairs]


def rates_threads(url, pairs):
    """One thread per pair, as the book's currency.py."""
    quotes = [None] * len(pairs)

    def work(i):
        quotes[i] = get_rate(url, pairs[i])

    run_threads(work, range(len(pairs)))
    return quotes


def rates_async(url, pairs):
    async def run():
        async with new_session() as session:
            return await fetch_all(session, url, pairs)

    return asyncio.run(run())


FUNCTIONS = {"seq": rates_seq, "threads": rates_threads, "async": rates_async}


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--pairs-file", required=True)
    p.add_argument("--pairs", type=cli.positive, default=12)
    p.add_argument("--latency-ms", type=cli.positive, default=100)
    args = p.parse_args()
    with open(args.pairs_file, encoding="utf-8") as f:
        pairs = json.load(f)[: args.pairs]

    def verify(quotes):
        if [q["pair"] for q in quotes] != pairs:
            raise SystemExit("quotes for other pairs, or out of order")

    contenders = [
        Contender(v, 1 if v == "seq" else len(pairs), lambda f=FUNCTIONS[v]: f(args.url, pairs))
        for v in cli.pick(args.variants, VARIANTS, p)
    ]
    runs, answer = measure_rounds(contenders, verify, args.reps)
    size = {"pairs": len(pairs), "latency_ms": args.latency_ms}
    emit(record("ch03", "currency", size, runs, {"quotes": answer}), args.json)


if __name__ == "__main__":
    main()
