"""Settings (`IOC_*`) and the site file: loaded once per entry point, passed down."""
