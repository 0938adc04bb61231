"""pytest plugin (entry point ``pytest11``): nothing runs unless a test asks for it."""
