"""Every state change of sector-led improvement: plain functions ``verb_noun(*, actor, ...)``, each in
one transaction, checking permission (PermissionDenied) and state (ServiceError), writing history
(django-simple-history) and queuing emails to go after commit (``core.notify``).

The functions live in four modules and are all importable from here: ``assessment`` (the
self-assessment, its areas, local profile and evidence, sharing it), ``challenge`` (setting up a peer
challenge, the team and the ledger, findings, the authority's response on the working-day clock, the
final letter and its PDF, the deadline sweep), ``brokerage`` (a support package made with the plans
services) and ``leads`` (regional leads and inspection records).
"""

from .assessment import *  # noqa: F403
from .brokerage import *  # noqa: F403
from .challenge import *  # noqa: F403
from .leads import *  # noqa: F403
