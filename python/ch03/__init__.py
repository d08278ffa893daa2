"""Chapter 03's examples in Python, beside crates/ch03 (see python/README.md)."""
