"""About NightWatch: what it is, the reports it is drawn from, and what the database holds."""
import streamlit as st

from nightwatch import __version__
from nightwatch.services import overview
from nightwatch.ui import page, store, t

COUNTS_TTL_S = 300

page("about")
st.title(t("about.title"))
st.write(t("about.what"))

st.subheader(t("about.sources"))
for number in ("000", "001", "002", "003", "004"):
    st.markdown(f"- {t(f'about.source.{number}')}")

st.subheader(t("about.data"))
current = store()


# Counting every table reads millions of check-ins in a city's year: once every few minutes is enough
# for a page that says roughly what the database holds (counts only: nothing personal is cached).
@st.cache_data(ttl=COUNTS_TTL_S, show_spinner=False)
def _counts(url: str) -> dict[str, int]:
    return overview.table_counts(session_factory=store().session_factory)


counts = _counts(current.url)
columns = st.columns(2)
for index, (table, count) in enumerate(counts.items()):
    columns[index % 2].markdown(t("about.rows", table=t(f"table.{table}"), count=f"{count:,}"))
st.caption(f"{t('about.database', backend=current.backend)} · {t('about.version', version=__version__)}")
