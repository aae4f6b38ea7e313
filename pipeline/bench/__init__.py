"""Benchmark: a generated corpus, the flow timed cold, unchanged and +1 %, and each stage timed apart."""
