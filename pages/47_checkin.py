"""Check in (/checkin?cp=…&sig=…): opened from a checkpoint's QR code."""
from nightwatch.ui import page
from nightwatch.ui.checkin import show_check_in

show_check_in(page("checkin"))
