from .views import assessment, brokerage, challenge, sector

app_name = "improvement"

urlpatterns = [*sector.urlpatterns, *assessment.urlpatterns, *challenge.urlpatterns, *brokerage.urlpatterns]
