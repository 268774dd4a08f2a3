"""What every app shares that is not about people: errors, the email queue, locking, uploads,
sanitising, the working-day calendar, the panel registries and the view helper for actions.

A plain package, not an app: it has no models. Where it needs a model of an app (the email queue's
rows, the closure days) it names it by label, as Django names ``AUTH_USER_MODEL``.
"""
