"""People: the custom User (email login), roles, organisation membership and the shared permission rules."""
