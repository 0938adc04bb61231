"""Benchmarks: scripts that print figures and ratios (``python -m tests.benchmarks.bench``).

The scripts are never collected as tests; the ``test_*.py`` files here check that they run and
print their tables (never a timing), and that the loopback server behaves as the figures assume.
"""
