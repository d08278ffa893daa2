"""Chapter 06's examples in Python, beside crates/ch06 (see python/README.md)."""
