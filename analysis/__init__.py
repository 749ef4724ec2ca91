"""North Korea border closure: cited figures, models, charts and reports."""
