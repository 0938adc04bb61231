"""Benchmarks: scripts that print figures and ratios (``python -m tests.benchmarks.bench``).

Never collected as tests: no file or function here is named ``test_*``.
"""
