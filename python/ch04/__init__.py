"""Chapter 04's examples in Python, beside crates/ch04 (see python/README.md)."""
