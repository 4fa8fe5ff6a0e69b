"""Energy and water: baselines, anomalies, leaks, PV, spikes, waste, intensity."""
