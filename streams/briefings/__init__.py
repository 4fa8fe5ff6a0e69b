"""Leadership briefings (#7): report periods and schedule, history reads, archive.

The report itself is assembled by `dashboard.briefing.build` and drawn by
`layouts/briefing/`; `python -m dashboard.briefing.jobs` runs the schedule.
"""
