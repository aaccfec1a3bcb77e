"""Route progress (/routes): which points of each patrol line were visited tonight."""
from nightwatch.ui import page
from nightwatch.ui.route_progress import show_routes

actor = page("routes")
show_routes(actor)
