"""Gates and visitors: gate anomalies and visitors against their appointments."""
