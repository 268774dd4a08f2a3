"""Improvement support providers and feedback on their provision."""
