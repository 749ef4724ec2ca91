"""The house style of every chart, in one place.

Web type: a reader on a screen reads text of 11 CSS pixels without zooming (Apple's smallest
text style is 11 pt, Material's 11 sp), so every web-facing file keeps its text at 11 px or
more at every width it is shown at; the embed shows the phone file in containers up to
PHONE_MAX_PX wide and the web file above.
"""

from __future__ import annotations

PHONE_MAX_PX = 560  # containers up to this width show NAME-phone.svg, wider ones NAME-web.svg
# a label's attribute listing the points (data coordinates) of the marks it names
NAMES_ATTR = "nk_names"
