"""Benchmarks: `make bench` (python -m bench) prints p50/p95 server times."""
