"""Benchmarks printed by `make bench`: measured figures beside their targets or references."""
