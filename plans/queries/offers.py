"""Plan queries: offers."""
