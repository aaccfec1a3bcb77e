"""平安档案 /shops: one safety dossier per shop (平安档案, 一店一档) with its risk and timeline."""
from nightwatch.ui import page

actor = page("shops")
