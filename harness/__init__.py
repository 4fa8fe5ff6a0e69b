"""What tests and benches both use: the real processes, labelled footage, simulated
meter series."""
