"""The roles: Django groups with the permissions each role needs.

Contributors write (their own articles, through the desk the submissions workflow adds);
editors review and publish and manage topics and authors in the admin; administrators
also manage users. An operator makes someone an editor by adding them to "Editors" in the
admin (and ticking "Staff status" so that they can open it).
"""

CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"

EDITOR_PERMISSIONS = [
    ("articles", "add_article"), ("articles", "change_article"), ("articles", "view_article"),
    ("articles", "publish_article"), ("articles", "view_revision"),
    ("articles", "add_topic"), ("articles", "change_topic"), ("articles", "view_topic"),
    ("articles", "add_topicname"), ("articles", "change_topicname"), ("articles", "view_topicname"),
    ("accounts", "add_profile"), ("accounts", "change_profile"), ("accounts", "view_profile"),
    ("auth", "view_user"), ("core", "view_auditentry"),
]  # fmt: skip
ADMINISTRATOR_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    ("auth", "add_user"), ("auth", "change_user"), ("auth", "view_group"),
]  # fmt: skip
ROLES = {CONTRIBUTORS: [], EDITORS: EDITOR_PERMISSIONS, ADMINISTRATORS: ADMINISTRATOR_PERMISSIONS}
