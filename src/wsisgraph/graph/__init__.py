"""The graph itself: the store on disk, the build, SHACL validation, HermiT reasoning, serialisation."""
