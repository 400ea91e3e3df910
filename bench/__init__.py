"""Benchmarks, run by hand (``python -m bench NAME``), never as timed tests in CI.

Each reports its figures as ratios against a raw floor measured in the same run
(e.g. ``sqlite3.executemany`` of the same rows), because this machine is noisy.
"""
