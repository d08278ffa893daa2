#!/usr/bin/env python3
"""Execute one notebook headless with the Rust kernel; fail on any error.

Usage: run_notebook.py IN.ipynb OUT.ipynb [--timeout SECS] [--warm-start]

`cargo xtask notebooks` calls this with the venv's python. It writes the
executed notebook to OUT.ipynb (the book's notebook pages are rendered from
it by `crates/xtask/src/book/notebook_pages.rs`, the one renderer), then
exits 1 when a cell failed:

- an output of type "error" (evcxr reports compile errors this way);
- text that shows a panic ("panicked at") or a compiler error (a line
  starting with "error[E" or "error: "): evcxr reports a panic in a cell as
  plain output, so without this check a panicking notebook would pass;
- a dead kernel or a cell that ran past the timeout.

With --warm-start it runs only the first code cell, on a kernel whose
build directory an earlier run filled, and also exits 1 when that cell
compiled anything but the cell itself (cargo's "Compiling NAME" lines on
the kernel's stderr, other than evcxr's own crate `ctx`): a warm start
that rebuilds dependencies is a fault, whatever it costs on this machine.
"""

import argparse
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = "rust"
FIRST_LINES = 12
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def as_text(value):
    """Notebook text may be a string or a list of lines."""
    if isinstance(value, list):
        value = "".join(value)
    return ANSI.sub("", value or "")


def texts(output):
    """The human-readable texts of one output."""
    kind = output.get("output_type")
    if kind == "stream":
        return [as_text(output.get("text"))]
    if kind in ("execute_result", "display_data"):
        return [as_text(output.get("data", {}).get("text/plain"))]
    return []


def looks_failed(text):
    if "panicked at" in text:
        return True
    return any(
        line.startswith("error[E") or line.startswith("error: ")
        for line in text.splitlines()
    )


def problem(output):
    """The offending text of an output, or None when it looks fine."""
    if output.get("output_type") == "error":
        head = f"{output.get('ename', 'Error')}: {as_text(output.get('evalue'))}"
        trace = [as_text(line) for line in output.get("traceback", [])]
        return "\n".join([head, *trace])
    for text in texts(output):
        if looks_failed(text):
            return text
    return None


def coalesce_streams(nb):
    """Merge runs of stream outputs: evcxr sends each line of stderr alone."""
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output.get("output_type") == "stream"
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")
            ):
                text = as_text(previous["text"]) + as_text(output["text"])
                previous["text"] = text
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged


def problems(nb):
    """(cell index, offending text) for every failing output."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            text = problem(output)
            if text is not None:
                found.append((index, text))
    return found


def first_cell_seconds(nb):
    """How long the first code cell took (it builds the chapter crate), from
    the timings nbclient records in the cell's metadata; None if unknown."""
    from datetime import datetime

    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        timing = cell.get("metadata", {}).get("execution", {})
        start = timing.get("iopub.execute_input") or timing.get("shell.execute_reply.started")
        end = timing.get("shell.execute_reply")
        if not (start and end):
            return None
        start, end = (datetime.fromisoformat(t.replace("Z", "+00:00")) for t in (start, end))
        return (end - start).total_seconds()
    return None


COMPILING = re.compile(r"^\s*Compiling (\S+) v")


def first_code_cell_only(nb):
    """Keep the cells up to and including the first code cell."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            nb.cells = nb.cells[: index + 1]
            return


def compiled(stderr_text):
    """The crates cargo compiled, from the kernel's stderr, in order."""
    return [m.group(1) for m in map(COMPILING.match, ANSI.sub("", stderr_text).splitlines()) if m]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path, help="the notebook to execute")
    parser.add_argument("out", type=Path, help="where to write the executed copy")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument(
        "--warm-start",
        action="store_true",
        help="run only the first code cell and fail if it compiled any dependency",
    )
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    if args.warm_start:
        first_code_cell_only(nb)
    client = NotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name=KERNEL,
        allow_errors=True,
        resources={"metadata": {"path": str(args.notebook.resolve().parent)}},
    )
    crashed = None
    # On a warm start the kernel's stderr (cargo's progress) is read back;
    # otherwise it goes to the terminal as the build's progress.
    kernel_stderr = tempfile.TemporaryFile(mode="w+") if args.warm_start else None
    try:
        if kernel_stderr is None:
            client.execute()
        else:
            client.execute(stderr=kernel_stderr)
    except Exception as err:  # a dead kernel, a timeout: the run failed
        crashed = f"{type(err).__name__}: {err}"

    coalesce_streams(nb)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, args.out)

    found = problems(nb)
    for index, text in found:
        lines = text.strip().splitlines()[:FIRST_LINES]
        print(f"{args.notebook.name}: cell {index} failed:", file=sys.stderr)
        for line in lines:
            print(f"    {line}", file=sys.stderr)
    if crashed:
        print(f"{args.notebook.name}: {crashed}", file=sys.stderr)
    if found or crashed:
        return 1
    first = first_cell_seconds(nb)
    if args.warm_start:
        kernel_stderr.seek(0)
        rebuilt = [name for name in compiled(kernel_stderr.read()) if name != "ctx"]
        took = "" if first is None else f" {first:.1f} s"
        if rebuilt:
            print(
                f"{args.notebook.name}: the first cell on a warm start{took} rebuilt "
                f"{len(rebuilt)} crates ({', '.join(rebuilt[:8])}{', ...' if len(rebuilt) > 8 else ''}): "
                "it did not find them built (the build directory or evcxr's cache was not "
                "reused, or a source changed since the notebook ran)",
                file=sys.stderr,
            )
            return 1
        print(f"{args.notebook.name}: first cell on a warm start{took}, compiled only the cell")
        return 0
    if first is not None:
        print(f"{args.notebook.name}: first cell (builds the crate) {first:.1f} s")
    print(f"{args.notebook.name}: executed, wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
