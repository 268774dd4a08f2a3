"""Plan forms, one module per part of the work (drafting, offers, workflow)."""
