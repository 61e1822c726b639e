"""Benchmarks for colonies-sdk: run with ``python -m bench`` (or ``make bench``)."""
