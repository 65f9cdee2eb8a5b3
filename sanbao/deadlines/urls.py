from django.urls import path

from sanbao.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.board, name="board"),
    path("calendar/", views.calendar_admin, name="calendar"),
    path("calendar/add/", views.calendar_add, name="calendar_add"),
    path("calendar/import/", views.calendar_import, name="calendar_import"),
    path("calendar/<str:day>/remove/", views.calendar_remove, name="calendar_remove"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<str:key>/", views.rule_detail, name="rule_detail"),
    path("rules/<str:key>/edit/", views.rule_edit, name="rule_edit"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read/", views.inbox_read, name="inbox_read"),
    path("<int:pk>/pause/", views.deadline_pause, name="deadline_pause"),
    path("<int:pk>/resume/", views.deadline_resume, name="deadline_resume"),
]
