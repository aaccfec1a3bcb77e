"""The Streamlit layer: the only part of nightwatch that imports streamlit."""
from nightwatch.ui.lang import current_language, t, vocab_label
from nightwatch.ui.shell import page
from nightwatch.ui.store import store

__all__ = ["current_language", "page", "store", "t", "vocab_label"]
