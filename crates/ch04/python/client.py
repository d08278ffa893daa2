"""Chapter 4 · A Python Celery client of the Rust workers: it sends every
task by name and waits with AsyncResult.get(), which hears of a result
through the backend's pub/sub channel; then a chain, which the workers
carry on link by link. Prints one JSON object.

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 python client.py
    CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672// \
        CELERY_RESULT_BACKEND=redis://127.0.0.1:6379/0 python client.py

The URLs come by environment, not argv, which anyone can read in /proc.
"""

import json
import os
import time

from celery import Celery, chain

import secure


def main(broker, backend):
    broker, backend = secure.redis_url(broker), secure.redis_url(backend)
    app = Celery("ch04-client", broker=broker, backend=backend)
    app.conf.update(task_serializer="json", result_serializer="json",
                    accept_content=["json"],
                    broker_use_ssl=secure.broker_use_ssl(broker))
    report = {}
    report["echo"] = app.send_task("echo", kwargs={"message": "from Python"}).get(timeout=30)
    report["fib"] = app.send_task("fib", args=[25]).get(timeout=30)
    report["sort"] = app.send_task("sort", kwargs={"numbers": [3, -2, 7, 0]}).get(timeout=30)
    try:
        app.send_task("fail", kwargs={"message": "on purpose"}).get(timeout=30)
        report["fail"] = "no exception"
    except Exception as error:  # the worker's error, rebuilt in Python
        report["fail"] = f"{type(error).__name__}: {error}"
    start = time.perf_counter()
    results = [app.send_task("fib", args=[n]) for n in range(20)]
    report["group"] = [r.get(timeout=30) for r in results]
    report["group_s"] = round(time.perf_counter() - start, 4)
    # fib(fib(fib(6))) = fib(fib(8)) = fib(21), then an immutable link.
    fib = app.signature("fib")
    nested = chain(fib.clone(args=(6,)), fib.clone(), fib.clone()).apply_async()
    report["chain"] = nested.get(timeout=30)
    report["chain_steps"] = [nested.parent.parent.get(timeout=30),
                             nested.parent.get(timeout=30)]
    done = chain(app.signature("sort", args=([9, 1, 5],)),
                 app.signature("echo", args=("sorted",), immutable=True))
    report["chain_immutable"] = done.apply_async().get(timeout=30)
    print(json.dumps(report))


if __name__ == "__main__":
    # Taken out of the environment: Celery would read them again itself,
    # over what main() made of them.
    broker = os.environ.pop("CELERY_BROKER_URL")
    main(broker, os.environ.pop("CELERY_RESULT_BACKEND", broker))
