"""What the load harness of ``benchmarks/`` needs from the application."""
