"""The Moderators role: decide notices and appeals (DSA art. 16, 17, 20).

An operator makes someone a moderator by adding them to "Moderators" in the admin."""

MODERATORS = "Moderators"

MODERATOR_PERMISSIONS = [
    ("notices", "decide_notice"),
    ("notices", "view_notice"),
    ("notices", "view_decision"),
    ("notices", "view_appeal"),
    ("articles", "view_article"),
]
