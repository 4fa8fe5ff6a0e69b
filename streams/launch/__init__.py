"""The launcher's parts: command line (`cli`), servers (`servers`), children
(`supervisor`). The entry point is `__main__` (`python -m streams.launch`)."""
