"""The demo logins. Plain data (no Django imports) so the launcher can print them."""

DEMO_USERS = [
    # username, development password, role, teams, what they see
    ("admin", "portolan-admin", "admin", [], "administrator: everything, Django admin at /admin/"),
    (
        "manager",
        "portolan-manager",
        "manager",
        ["Americas & Europe", "Asia, Middle East & Russia"],
        "sales manager over both teams",
    ),
    ("rep1", "portolan-rep1", "rep", ["Americas & Europe"], "sales rep, team Americas & Europe"),
    (
        "rep2",
        "portolan-rep2",
        "rep",
        ["Asia, Middle East & Russia"],
        "sales rep, team Asia, Middle East & Russia",
    ),
]
