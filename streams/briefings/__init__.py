"""Leadership briefings (#7): report periods and schedule, history reads, archive.

The report itself is assembled by `dashboard.briefing_build` and drawn by
`layouts.briefing.page*`; `python -m dashboard.briefing_jobs` runs the schedule.
"""
