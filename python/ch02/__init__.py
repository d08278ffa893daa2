"""Chapter 02's examples in Python, beside crates/ch02 (see python/README.md)."""
