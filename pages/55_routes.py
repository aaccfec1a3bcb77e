"""Route progress (/routes): which points of each patrol line were visited tonight."""
from nightwatch.ui import page

actor = page("routes")
