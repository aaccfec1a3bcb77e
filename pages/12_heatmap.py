"""Patrol heatmap (/heatmap): where patrols went and where incidents are, aggregated by cell."""
from nightwatch.ui import page

actor = page("heatmap")
