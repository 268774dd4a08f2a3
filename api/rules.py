"""Permissions of the API app (the ``rules`` package).

- Administrators issue and revoke API tokens (the API itself is read-only for every role: what a token
  reads is what its person may see on the pages).
- National analysts (and administrators) download the open data export.
"""

import rules

from accounts.rules import is_admin, is_national

rules.add_perm("api.manage_tokens", is_admin)
rules.add_perm("api.download_open_data", is_admin | is_national)
