"""Chapter 4 · The chapter's tasks in Python Celery, by the same names and
argument names as the Rust worker's: a Python worker that Rust clients can
use, and the reference for what the Rust tasks must do.

    REDIS_URL=redis://127.0.0.1:6379/0 celery -A tasks worker --pool solo

With RabbitMQ as the broker (the book's set-up), REDIS_URL names it and
CH04_BACKEND_URL the Redis for the results.

JSON only: the workbook never lets pickle near a broker.
"""

import json
import os
import time
import urllib.request

from celery import Celery

BROKER = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
BACKEND = os.environ.get("CH04_BACKEND_URL", BROKER)

app = Celery("ch04", broker=BROKER, backend=BACKEND)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)


@app.task(name="echo")
def echo(message):
    return message


@app.task(name="fib")
def fib(n):
    return n if n < 2 else fib.run(n - 1) + fib.run(n - 2)


@app.task(name="sort")
def sort(numbers):
    return sorted(numbers)


@app.task(name="fail")
def fail(message):
    raise ValueError(message)


@app.task(name="nap")
def nap(seconds):
    time.sleep(seconds)
    return seconds


@app.task(name="rate")
def rate(pair):
    base = os.environ["CH04_RATES_URL"].rstrip("/")
    with urllib.request.urlopen(f"{base}/rate/{pair}", timeout=10) as answer:
        return json.load(answer)["rate"]
