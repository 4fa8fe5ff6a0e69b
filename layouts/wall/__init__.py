"""The wall screens: the shared shell, tiles and charts, and one layout per screen."""
