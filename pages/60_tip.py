"""Report a tip (/tip): a merchant posts what they see in two taps, and follows it."""
from nightwatch.ui import page
from nightwatch.ui.tip_form import show_tip_page

actor = page("tip")
show_tip_page(actor)
