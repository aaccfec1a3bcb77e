"""NightWatch (夜巡): coordinate community night patrols."""

__version__ = "0.1.0"
