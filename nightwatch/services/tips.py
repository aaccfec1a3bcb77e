"""Tips, as the pages use them: posting, adding to a similar tip, logging for someone, reading."""
from nightwatch.services.tip_logging import checked_caller, log_tip
from nightwatch.services.tip_posting import (
    MAX_TEXT,
    SIMILAR_RADIUS_M,
    SIMILAR_WINDOW,
    TipRefused,
    Where,
    add_to_tip,
    post_tip,
)
from nightwatch.services.tip_reading import TipView, my_tips, tip_detail
from nightwatch.services.tip_similar import SimilarTip, similar_open_tips

__all__ = [
    "MAX_TEXT", "SIMILAR_RADIUS_M", "SIMILAR_WINDOW", "SimilarTip", "TipRefused", "TipView", "Where",
    "add_to_tip", "checked_caller", "log_tip", "my_tips", "post_tip", "similar_open_tips", "tip_detail",
]
