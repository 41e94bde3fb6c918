"""Inputs before they are RDF: the curated CSV tables and the files a build reads."""
