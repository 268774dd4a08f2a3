"""Plan views: offers."""

urlpatterns = []
