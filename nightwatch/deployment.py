"""Is this a safe deployment? Pure checks of settings; each problem is a catalog key."""
from __future__ import annotations

from typing import Any


def streamlit_problems(config: dict[str, Any]) -> list[str]:
    """What in .streamlit/config.toml would expose visitors: error details, XSRF off, big uploads."""
    client, server = config.get("client", {}), config.get("server", {})
    problems = []
    if client.get("showErrorDetails") != "none":
        problems.append("check.error_details")
    if server.get("enableXsrfProtection") is False:
        problems.append("check.xsrf_off")
    if server.get("maxUploadSize", 200) > 20:
        problems.append("check.upload_limit")
    if client.get("toolbarMode") not in ("viewer", "minimal"):
        problems.append("check.toolbar")
    return problems
