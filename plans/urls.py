from .views import analysis, drafting, offers, workflow

app_name = "plans"

urlpatterns = [*drafting.urlpatterns, *offers.urlpatterns, *workflow.urlpatterns, *analysis.urlpatterns]
