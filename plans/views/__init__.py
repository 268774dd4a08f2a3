"""Plan pages, one module per part of the work: drafting (the Annex 2 page and its editing),
offers (invitations and the provider's side), workflow (review, approval, PDF, versions) and
analysis (regional and national views). Each module defines its own ``urlpatterns``."""
