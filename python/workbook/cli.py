"""The flags every Python example shares: --size, --reps, --json, --workers."""

import argparse


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--reps", type=positive, default=3, help="timed rounds")
    p.add_argument("--json", metavar="PATH", help="write the record here")
    p.add_argument(
        "--variants", type=lambda s: s.split(","), help="comma-separated variants"
    )
    return p


def positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def pick(asked, allowed, p):
    """The variants asked for, each checked; a usage error (exit 2) if not."""
    if asked is None:
        return list(allowed)
    for name in asked:
        if name not in allowed:
            p.error(f"unknown variant `{name}`; this example has: {', '.join(allowed)}")
    return asked


def verifier(want, wrong="wrong answer: {got} != {want}"):
    """A check of an answer against `want`: exits with `wrong` (formatted
    with `got` and `want`) when they differ."""

    def verify(got):
        if got != want:
            raise SystemExit(wrong.format(got=got, want=want))

    return verify

