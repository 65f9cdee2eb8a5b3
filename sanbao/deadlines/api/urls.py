from django.urls import path
from rest_framework.routers import SimpleRouter

from sanbao.deadlines.api import views

router = SimpleRouter()
router.register("deadline-rules", views.RuleViewSet, basename="deadline-rule")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    *router.urls,
]
