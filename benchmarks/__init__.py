"""Benchmarks: a synthetic city at a chosen scale, the same rows for the same seed."""
