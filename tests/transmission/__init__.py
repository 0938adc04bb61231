"""Transmission backend tests: mapping, RPC layer (respx), real daemons, contract suite."""
