"""Benchmarks: `make bench` runs them all. Results are ratios against a baseline from the same run."""
