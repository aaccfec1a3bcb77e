"""My tasks (/my_tasks): a responder acknowledges, arrives and closes dispatched tips."""
from nightwatch.ui import page
from nightwatch.ui.tasks_cards import show_my_tasks

actor = page("my_tasks")
show_my_tasks(actor)
