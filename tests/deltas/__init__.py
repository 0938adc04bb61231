"""Per-backend delta property tests: applying every poll() delta in order equals a fresh full list."""
