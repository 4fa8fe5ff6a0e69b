"""The wall screens: the shared shell, tiles and charts, the catalog of layouts (each
declared once), and the tile bodies of each layout."""
