"""Device health: devices offline and meter faults."""
