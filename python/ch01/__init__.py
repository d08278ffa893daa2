"""Chapter 01's examples in Python, beside crates/ch01 (see python/README.md)."""
