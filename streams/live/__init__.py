"""Live state in Redis: key layout, pure operations, the writer, the rebuild from
history."""
