"""Leadership briefings: the page, its read model, the schedule (`jobs`)."""
