"""My shifts (/my_shifts): a volunteer's shifts, reminders, open slots, swaps, hours and points."""
from nightwatch.ui import page
from nightwatch.ui.my_shifts_view import show_my_shifts

actor = page("my_shifts")
show_my_shifts(actor)
