"""Meetings, their notes under the protocol's 5-working-day rule, the working-day calendar and the deadline sweep."""
