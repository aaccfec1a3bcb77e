"""隐患整改 /hazards: hazards found on patrol or reported, followed to rectification and re-inspection."""
from nightwatch.ui import page
from nightwatch.ui.hazards import show_hazards

actor = page("hazards")
show_hazards(actor)
