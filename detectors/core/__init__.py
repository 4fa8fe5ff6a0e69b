"""What every detector shares: signals, the latch, the office calendar."""
