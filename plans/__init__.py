"""Joint Improvement Support Plans: the Annex 2 rows, offers, decisions, versions and the signed-off PDF."""
