"""The accounts app's pages beyond sign-in: people and invitations, access requests from
providers, a person's own account (password, sessions, two-factor), the forgotten-password flow and
the public pages (accessibility, privacy, cookies). ``accounts.pages.urls`` lists them."""
