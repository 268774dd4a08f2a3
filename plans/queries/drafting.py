"""Plan queries: drafting."""
