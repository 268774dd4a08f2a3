"""Pages of the protocol's clocks: the authority's response and extensions (``notes``), the
working-day calendar (``calendar``: closures and GOV.UK's bank holidays), reminder emails
(``reminders``), regular meetings (``series``) and feedback on the arrangements (``feedback``).
Every action goes through ``core.actions``."""
