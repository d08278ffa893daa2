"""Mirrors the book's chapter 4 Pyro example (a remote object in a server
process, called through a proxy): a RateBook object served by Pyro5 that
looks rates up in the workbook's rate service, called one call at a time
and all at once (one proxy per thread: a Pyro proxy belongs to one thread).

    python -m ch04.rpc --rates http://127.0.0.1:PORT --pairs-file pairs.json --calls 20
"""

import json
import subprocess
import sys
import threading
import urllib.request

import Pyro5.api

from workbook import cli
from workbook.record import Contender, emit, measure_rounds, record
from workbook.threads import run_threads

TIMEOUT_S = 30  # every call has a deadline


@Pyro5.api.expose
class RateBook:
    """The remote object: its state (the lookup count) lives in the server."""

    def __init__(self, rates_url):
        self.rates_url = rates_url
        self.count = 0
        self.lock = threading.Lock()

    def rate(self, pair):
        with self.lock:
            self.count += 1
        url = f"{self.rates_url}/rate/{pair}"
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as answer:
            return json.load(answer)["rate"]

    def lookups(self):
        return self.count


def serve(rates_url):
    """The server process: print the object's URI, then serve until killed."""
    daemon = Pyro5.api.Daemon(host="127.0.0.1", port=0)
    uri = daemon.register(RateBook(rates_url), "ratebook")
    print(uri, flush=True)
    daemon.requestLoop()


def proxy(uri):
    book = Pyro5.api.Proxy(uri)
    book._pyroTimeout = TIMEOUT_S
    return book


def rates_seq(uri, pairs, book):
    return [book.rate(p) for p in pairs]


def rates_concurrent(uri, pairs, _):
    """All calls at once, one thread and one proxy each."""
    rates = [None] * len(pairs)

    def call(i):
        with proxy(uri) as mine:
            rates[i] = mine.rate(pairs[i])

    run_threads(call, range(len(pairs)))
    return rates


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--rates", required=True, help="the rate service, http://HOST:PORT")
    p.add_argument("--pairs-file", help="JSON list of currency pairs")
    p.add_argument("--calls", type=cli.positive, default=20)
    p.add_argument("--latency-ms", type=cli.positive, default=50)
    p.add_argument("--serve", action="store_true", help="be the server process")
    args = p.parse_args()
    if args.serve:
        serve(args.rates)
        return
    if not args.pairs_file:
        p.error("--pairs-file is required")
    with open(args.pairs_file, encoding="utf-8") as f:
        pairs = json.load(f)[: args.calls]
    command = [sys.executable, "-m", "ch04.rpc", "--serve", "--rates", args.rates]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        uri = server.stdout.readline().strip()
        if not uri.startswith("PYRO:"):
            raise SystemExit(f"the Pyro5 server said {uri!r}")
        with proxy(uri) as book:
            functions = {"seq": rates_seq, "async": rates_concurrent}
            contenders = [
                Contender(v, 1 if v == "seq" else len(pairs), lambda f=functions[v]: f(uri, pairs, book))
                for v in functions
            ]

            def verify(rates):
                if len(rates) != len(pairs) or any(r is None for r in rates):
                    raise SystemExit("a call gave no rate")

            runs, answer = measure_rounds(contenders, verify, args.reps)
            lookups = book.lookups()
    finally:
        server.kill()
        server.wait()
    size = {"calls": len(pairs), "latency_ms": args.latency_ms}
    quotes = [{"pair": p, "rate": r} for p, r in zip(pairs, answer)]
    emit(record("ch04", "rpc", size, runs, {"quotes": quotes, "lookups": lookups}), args.json)


if __name__ == "__main__":
    main()
