"""Camera workers (`python -m streams.cameras`): read sources with OpenCV, run the
vision detectors (`detectors.vision`), publish camera events and annotated snapshots
over MQTT. No database: the consumer process stores what they publish
(docs/cameras.md)."""
