"""数据看板 /dashboard: a district's nights in figures, against last period and last year, and the weekly brief."""
from nightwatch.ui import page

actor = page("dashboard")
