"""The Streamlit settings that keep visitors safe do not regress."""
import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())


def test_tracebacks_are_never_shown_to_visitors():
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_streamlit_page_list_is_replaced_by_our_menu():
    assert CONFIG["client"]["showSidebarNavigation"] is False


def test_visitors_get_no_deploy_button_and_xsrf_is_on():
    assert CONFIG["client"]["toolbarMode"] == "viewer"
    assert CONFIG["server"]["enableXsrfProtection"] is True


def test_uploads_are_small_and_usage_stats_off():
    assert 0 < CONFIG["server"]["maxUploadSize"] <= 20
    assert CONFIG["browser"]["gatherUsageStats"] is False
