"""Pure component trees for every screen: data in, Dash components out (DESIGN.md §2).

Imports dash, dash-bootstrap-components, plotly and itself only: no callbacks, no I/O.
"""
