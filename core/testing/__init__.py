"""Test helpers for enunclic and for third-party backend authors (the contract suite)."""
