"""Benchmarks of the assistant: latency, throughput, index build and scale (``make bench``)."""
