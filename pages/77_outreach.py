"""宣防活动 /outreach: anti-fraud booths and safety outreach (地摊警务, 反诈宣传) and what they reached."""
from nightwatch.ui import page

actor = page("outreach")
