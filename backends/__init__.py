"""The built-in backends, each an ordinary enunclic plugin in its own subpackage."""
