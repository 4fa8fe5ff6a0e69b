"""The wall: `/wall/<name>` pages, what a refresh reads, tile bodies, live push."""
