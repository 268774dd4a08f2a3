"""Plan views: drafting."""

urlpatterns = []
