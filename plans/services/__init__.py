"""Every state change of plans and offers (docs/architecture.md, Workflows): plain functions ``verb_noun(*, actor, ...)``,
each in one transaction, checking permission (PermissionDenied) and state (ServiceError), writing
history and queuing emails after commit.

The functions live in three modules and are all importable from here:
``drafting`` (plans, priorities, needs, good practice, deployment plans), ``offers`` (invite, submit,
challenge, accept, withdraw) and ``workflow`` (send to authority, approval, PDF, revision).
"""

from .changes import *  # noqa: F403
from .drafting import *  # noqa: F403
from .offers import *  # noqa: F403
from .workflow import *  # noqa: F403
