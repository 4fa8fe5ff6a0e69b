"""Pure vision detectors: numpy frames in, typed results out, time as an argument.

`CameraAnalytics` (analytics.py) chains them for one camera: foreground people
detection (people.py), tracking (tracking.py), zones and counting lines (scene.py),
tampering (tamper.py) and the annotated snapshot (annotate.py). See docs/cameras.md.
"""
