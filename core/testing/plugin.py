"""pytest plugin (entry point ``pytest11``): makes the contract suite's asserts informative.

Nothing else runs unless a test module subclasses ``enunclic.testing.contract.ContractSuite``.
"""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("enunclic.testing.contract", "enunclic.testing.actions", "enunclic.testing.steps")
