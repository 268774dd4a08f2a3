"""Every state change of plans and offers (docs/architecture.md, Workflows): plain functions ``verb_noun(*, actor, ...)``,
each in one transaction, checking permission (PermissionDenied) and state (ServiceError), writing
history and queuing emails after commit.

The functions live in four modules and are all importable from here:
``drafting`` (plans, priorities, needs, good practice, deployment plans), ``offers`` (invite, submit,
challenge, accept, withdraw), ``workflow`` (send to authority, approval, PDF, revision) and
``delivery`` (delivery updates on approved plans, deliver-by reminders).
"""

from .changes import *  # noqa: F403
from .delivery import *  # noqa: F403
from .drafting import *  # noqa: F403
from .offers import *  # noqa: F403
from .workflow import *  # noqa: F403
