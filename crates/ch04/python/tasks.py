"""Chapter 4 · The chapter's tasks in Python Celery, by the same names and
argument names as the Rust worker's: a Python worker that Rust clients can
use, and the reference for what the Rust tasks must do.

    REDIS_URL=redis://127.0.0.1:6379/0 celery -A tasks worker --pool solo

With RabbitMQ as the broker (the book's set-up), REDIS_URL names it and
CH04_BACKEND_URL the Redis for the results.

JSON only: the workbook never lets pickle near a broker. Every input is
bounded as in the Rust tasks (crates/ch04/src/limits.rs): past its bound a
task fails, the worker lives.
"""

import json
import os
import time
import urllib.request

from celery import Celery

import secure

BROKER = secure.redis_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
BACKEND = secure.redis_url(os.environ.get("CH04_BACKEND_URL", BROKER))

app = Celery("ch04", broker=BROKER, backend=BACKEND)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    broker_use_ssl=secure.broker_use_ssl(BROKER),
)

MAX_FIB_N = 45  # workbench::fib::MAX_N
MAX_SORT_LEN = 20_000_000
MAX_NAP_S = 3600


def bounded(what, value, most):
    if value > most:
        raise ValueError(f"{what} is too large: {value} > {most}")


@app.task(name="echo")
def echo(message):
    return message


@app.task(name="fib")
def fib(n):
    bounded(f"fib({n})", n, MAX_FIB_N)
    return _fib(n)


def _fib(n):
    return n if n < 2 else _fib(n - 1) + _fib(n - 2)


@app.task(name="sort")
def sort(numbers):
    bounded("a sort", len(numbers), MAX_SORT_LEN)
    return sorted(numbers)


@app.task(name="fail")
def fail(message):
    raise ValueError(message)


@app.task(name="nap")
def nap(seconds):
    bounded(f"nap({seconds})", seconds, MAX_NAP_S)
    time.sleep(seconds)
    return seconds


@app.task(name="rate")
def rate(pair):
    base = os.environ["CH04_RATES_URL"].rstrip("/")
    with urllib.request.urlopen(f"{base}/rate/{pair}", timeout=10) as answer:
        return json.load(answer)["rate"]
