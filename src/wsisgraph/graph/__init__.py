"""The graph layer: the store, the build, reasoning, export and validation of store graphs."""
