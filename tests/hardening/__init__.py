"""Hardening: faults, fuzzing, secrets and soak runs over every backend."""
