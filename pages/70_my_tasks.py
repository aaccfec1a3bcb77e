"""My tasks (/my_tasks): a responder's dispatched tips, then the re-inspections (复查) booked on their patrols."""
from nightwatch.ui import page
from nightwatch.ui.tasks_cards import show_my_tasks
from nightwatch.ui.tasks_reinspections import show_reinspections

actor = page("my_tasks")
show_my_tasks(actor)
show_reinspections(actor)
