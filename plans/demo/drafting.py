"""Demo data: drafting."""
