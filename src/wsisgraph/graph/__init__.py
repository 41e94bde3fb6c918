"""The graph layer: the store, the build, validation, reasoning and serialisation of store graphs."""
