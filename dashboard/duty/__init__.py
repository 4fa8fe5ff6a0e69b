"""The duty console (/duty): callbacks and its read model."""
