"""The Python side of the workbook: the book's examples in plain Python 3.

Shared helpers only (timing in rounds, the results record); each example is
one module under chNN/. Run them from this directory: `python -m ch03.fib`.
"""
