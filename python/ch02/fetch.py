"""Mirrors the book's chapter 2 asyncio example (currency rates fetched
concurrently with asyncio and an async HTTP client): 1 … 1,000 requests to
the workbook's exchange-rate service, one long-lived aiohttp session that
reuses its connections, as the Rust side's keep-alive client does; peak
memory measured in a child process per request count.

    python -m ch02.fetch --url http://127.0.0.1:PORT --pairs-file pairs.json \
        --requests 1,10,100,1000
"""

import asyncio
import json
import resource
import subprocess
import sys
import threading
import time

import aiohttp

from workbook import cli
from workbook.record import cpu_seconds, emit, record

LIMIT = 1000  # requests in flight at most, as the Rust side's ASYNC_LIMIT
TIMEOUT = aiohttp.ClientTimeout(total=30, connect=5)  # every call has a deadline


async def get_rate(session, url, pair):
    async with session.get(f"{url}/rate/{pair}") as response:
        response.raise_for_status()
        quote = await response.json()
        return {"pair": quote["pair"], "rate": quote["rate"]}


async def fetch_all(session, url, pairs):
    """Every request a task, all gathered: concurrency on one thread."""
    return await asyncio.gather(*(get_rate(session, url, p) for p in pairs))


def new_session():
    connector = aiohttp.TCPConnector(limit=LIMIT)
    return aiohttp.ClientSession(connector=connector, timeout=TIMEOUT)


def rss_kib():
    """Resident memory now, from /proc/self/statm."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


async def probe(url, pairs):
    """In a child: resident memory before one round of `pairs`, and its
    peak during the round (sampled every millisecond by a thread)."""
    async with new_session() as session:
        await fetch_all(session, url, pairs[:1])
        before = rss_kib()
        peak, done = [before], threading.Event()

        def sample():
            while not done.wait(0.001):
                peak[0] = max(peak[0], rss_kib())

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            await fetch_all(session, url, pairs)
        finally:
            done.set()
            sampler.join()
        peak[0] = max(peak[0], rss_kib())
        return {"peak_kib": peak[0], "added_kib": peak[0] - before}


async def measure(url, counts, pairs, reps):
    runs, answer = [], None
    async with new_session() as session:
        for count in counts:
            asked = pairs[:count]
            answer = await fetch_all(session, url, asked)  # warm-up, checked
            if answer != expected(asked, answer):
                raise SystemExit("wrong quotes")
            samples = []
            for _ in range(reps):
                cpu0, t0 = cpu_seconds(), time.perf_counter()
                got = await fetch_all(session, url, asked)
                samples.append((time.perf_counter() - t0, cpu_seconds() - cpu0))
                if [q["pair"] for q in got] != asked:
                    raise SystemExit("quotes out of order")
            wall, cpu = sorted(samples)[len(samples) // 2]
            runs.append(
                {
                    "variant": "async",
                    "workers": min(count, LIMIT),
                    "wall_s": wall,
                    "cpu_s": cpu,
                    "verified": True,
                    "extra": {"requests": count},
                }
            )
    return runs, answer


def expected(asked, answer):
    """The answer when every quote names the pair asked, in order."""
    if [q["pair"] for q in answer] != asked:
        raise SystemExit("quotes for other pairs, or out of order")
    return answer


def main():
    p = cli.parser(__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="the rate service, http://HOST:PORT")
    p.add_argument("--pairs-file", required=True, help="JSON list of currency pairs")
    p.add_argument("--requests", default="1,10,100,1000", help="request counts")
    p.add_argument("--latency-ms", type=float, default=50.0)
    p.add_argument("--probe", type=cli.positive, help=argparse_hidden())
    args = p.parse_args()
    with open(args.pairs_file, encoding="utf-8") as f:
        pairs = json.load(f)
    if args.probe:
        print(json.dumps(asyncio.run(probe(args.url, pairs[: args.probe]))))
        return
    counts = [cli.positive(c) for c in args.requests.split(",")]
    if max(counts) > len(pairs):
        p.error(f"the pairs file holds {len(pairs)} pairs, fewer than {max(counts)}")
    runs, answer = asyncio.run(measure(args.url, counts, pairs, args.reps))
    for run in runs:
        count = run["extra"]["requests"]
        run["extra"]["x_latency"] = run["wall_s"] / (args.latency_ms / 1000)
        child = [sys.executable, "-m", "ch02.fetch", "--url", args.url]
        child += ["--pairs-file", args.pairs_file, "--probe", str(count)]
        memory = json.loads(subprocess.run(child, check=True, capture_output=True, timeout=120).stdout)
        run["extra"]["peak_mib"] = memory["peak_kib"] / 1024
        run["extra"]["added_mib"] = memory["added_kib"] / 1024
    size = {"requests": counts, "latency_ms": args.latency_ms}
    emit(record("ch02", "fetch", size, runs, {"quotes": answer}), args.json)


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
