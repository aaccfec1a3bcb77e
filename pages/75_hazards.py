"""隐患整改 /hazards: hazards found on patrol or reported, followed to rectification and re-inspection."""
from nightwatch.ui import page

actor = page("hazards")
