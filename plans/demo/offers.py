"""Demo data: offers."""
