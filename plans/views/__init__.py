"""Plan pages, one module per part of the work: plans (the list, starting a plan, the Annex 2 page,
the history), rows (priorities and needs), extras (good practice and deployment plans), offers
(invitations and the provider's side), workflow (review, approval, PDF, versions) and analysis
(regional and national views). Each module defines its own ``urlpatterns``; ``common`` holds what
they share. Actions go through ``core.actions``; downloads are built in ``plans.exports``."""
