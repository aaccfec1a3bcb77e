"""Check-ins a coordinator should look at: refused scans (forged or stale codes) and phones far from the point."""
from __future__ import annotations

from datetime import date

from nightwatch.access import Actor


def show_check_in_alerts(actor: Actor, district_id: int, night: date) -> None:
    """The night's suspicious scans and far-off check-ins in the district, newest first (coordinators only)."""
