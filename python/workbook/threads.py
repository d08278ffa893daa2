"""Threads as the book starts them: one per piece of work, all joined."""

import threading


def run_threads(work, args):
    """One thread running `work(a)` for each `a` of `args`; returns when
    all have finished."""
    threads = [threading.Thread(target=work, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
