"""平安档案 /shops: one safety dossier per shop (平安档案, 一店一档) with its risk and timeline."""
from nightwatch.ui import page
from nightwatch.ui.shops import show_shops

actor = page("shops")
show_shops(actor)
