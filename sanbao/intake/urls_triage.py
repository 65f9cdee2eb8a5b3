from django.urls import path

from sanbao.intake.triage import views

app_name = "intake-triage"

urlpatterns = [
    path("", views.admin_page, name="admin"),
    path("retrain/", views.retrain, name="retrain"),
    path("suggest/", views.suggest, name="suggest"),
]
