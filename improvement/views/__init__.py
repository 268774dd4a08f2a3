"""Improvement views, one module per part: ``assessment`` (self-assessments), ``challenge`` (peer
challenges, the team, findings, the response and the letter), ``sector`` (the hub, the ledger and
the overview) and ``brokerage`` (brokered support, inspections and regional leads).

Thin: find the object among what the user may see (404), check the permission (403), and perform
the action through ``core.actions`` with a service of ``improvement.services``."""
