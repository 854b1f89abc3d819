"""Benchmarks (`make bench`): they print figures; tests never time anything."""
