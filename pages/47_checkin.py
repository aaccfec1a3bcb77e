"""Check in (/checkin?cp=…&sig=…): opened from a checkpoint's QR code."""
from nightwatch.ui import page

actor = page("checkin")
