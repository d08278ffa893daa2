"""The stages the book's grep.py and mgrep.py join, shared by both modules:
cat, grep and count as generator coroutines (pushed lines with send()),
and the same stages as threads joined by queues."""

import queue
import threading

DONE = object()  # the sentinel that ends a threaded chain


def coroutine(fn):
    """Start a generator-based coroutine so it can be sent values."""

    def start(*args, **kwargs):
        co = fn(*args, **kwargs)
        next(co)
        return co

    return start


def cat(path, target):
    """Push every line of `path` into `target`, then close it."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            target.send(line)
    target.close()


@coroutine
def grep(pattern, target, ignore_case=True):
    """Pass on the lines that contain `pattern`."""
    pattern = pattern.lower() if ignore_case else pattern
    try:
        while True:
            line = yield
            if pattern in (line.lower() if ignore_case else line):
                target.send(line)
    except GeneratorExit:
        target.close()


@coroutine
def count(result, key):
    """Count the lines it is sent; store the count when closed."""
    n = 0
    try:
        while True:
            yield
            n += 1
    except GeneratorExit:
        result[key] = n


@coroutine
def dispatch(targets):
    """Send every line to each target (mgrep's fan-out)."""
    try:
        while True:
            line = yield
            for t in targets:
                t.send(line)
    except GeneratorExit:
        for t in targets:
            t.close()


def matches(line, pattern, ignore_case):
    return pattern in (line.lower() if ignore_case else line)


def grep_thread(inbox, outboxes, pattern, ignore_case):
    """A grep stage on its own thread: lines in, matching lines out."""
    pattern = pattern.lower() if ignore_case else pattern
    while (line := inbox.get()) is not DONE:
        if matches(line, pattern, ignore_case):
            outboxes.put(line)
    outboxes.put(DONE)


def count_thread(inbox, result, key):
    n = 0
    while inbox.get() is not DONE:
        n += 1
    result[key] = n


def threaded_chains(path, patterns, ignore_case):
    """cat on this thread, one grep thread and one count thread per pattern,
    joined by bounded queues."""
    result, threads, heads = {}, [], []
    for key, pattern in enumerate(patterns):
        head, tail = queue.Queue(1024), queue.Queue(1024)
        heads.append(head)
        threads.append(threading.Thread(target=grep_thread, args=(head, tail, pattern, ignore_case)))
        threads.append(threading.Thread(target=count_thread, args=(tail, result, key)))
    for t in threads:
        t.start()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            for head in heads:
                head.put(line)
    for head in heads:
        head.put(DONE)
    for t in threads:
        t.join()
    return [result[k] for k in range(len(patterns))]
