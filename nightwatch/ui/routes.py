"""HTTP routes beside the Streamlit app: the only place a cookie can be set.

A Streamlit script cannot set cookies, so signing in ends with the browser opening
`/auth/link?t=…`: the route exchanges a one-time hand-off (or a personal sign-in link)
for a session token in an HttpOnly, SameSite=Lax cookie, which every later page load
reads through `st.context.cookies`.
"""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from nightwatch.basemap import STYLE_PATH, raster_style
from nightwatch.config import Settings
from nightwatch.services import auth
from nightwatch.ui.store import store

COOKIE = "nw_session"


def safe_next(target: str | None) -> str:
    """A local path to go on to; anything that could leave the site becomes the home page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def link(request: Request) -> RedirectResponse:
    """Exchange a hand-off or sign-in link for a session cookie, then go on."""
    token = request.query_params.get("t", "")
    issued = await run_in_threadpool(lambda: auth.redeem(session_factory=store().session_factory, token=token))
    if issued is None:
        return RedirectResponse("/?" + urlencode({"signin": "invalid"}), status_code=303)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.set_cookie(
        COOKIE, issued.token, max_age=int(auth.SESSION_LIFETIME.total_seconds()), httponly=True,
        samesite="lax", secure=request.url.scheme == "https", path="/",
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def signout(_request: Request) -> RedirectResponse:
    """Forget this browser's cookie (the sessions themselves were ended by the sign-out button)."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


async def map_style(_request: Request) -> JSONResponse:
    """The basemap style wrapping the configured raster tiles (404 when none are configured)."""
    tiles = Settings.from_env().map_tiles
    if not tiles:
        return JSONResponse({}, status_code=404)
    return JSONResponse(raster_style(tiles), headers={"Cache-Control": "public, max-age=3600"})


# Served beside Streamlit by the `st.App` in app.py.
ROUTES = [Route("/auth/link", link), Route("/auth/signout", signout), Route(STYLE_PATH, map_style)]
