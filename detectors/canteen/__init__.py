"""Canteen congestion: queueing, arrivals, forecast, alert, the compound's watch."""
