from django.urls import path

from sanbao.intake import views

app_name = "intake"

urlpatterns = [
    path("duplicates/candidates/", views.duplicate_candidates, name="duplicate_candidates"),
    path("duplicates/<str:code>/", views.matter_duplicates, name="matter_duplicates"),
    path("duplicates/<str:code>/decide/", views.decide, name="duplicate_decide"),
    path("duplicates/<str:code>/undo/<int:link_id>/", views.undo, name="duplicate_undo"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/assign/", views.warning_assign, name="warning_assign"),
    path("warnings/<int:pk>/close/", views.warning_close, name="warning_close"),
]
