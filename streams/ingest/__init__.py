"""The consumer's path: batch, decode, deliver (history, live or spool), acknowledge."""
