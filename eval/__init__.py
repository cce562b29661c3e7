"""Evaluation harness (``civilqa eval``) and benchmarks (``civilqa bench``)."""
