"""NightWatch home: tonight at a glance for whoever is signed in; sign-in for everyone else.

`streamlit run app.py` first reads this file for an ASGI app, then runs it as the home page
under `__main__`. It recognises the app only from a literal `app = st.App(...)` assignment,
so the constructor stays spelled out here rather than behind a helper.
"""
import streamlit as st

if __name__ != "__main__":
    from nightwatch.ui.routes import ROUTES

    app = st.App(__file__, routes=ROUTES)
else:
    from nightwatch.ui import page
    from nightwatch.ui.home import show_home

    show_home(page("home"))
