from django.urls import path
from rest_framework.routers import SimpleRouter

from sanbao.org.api import views

router = SimpleRouter()
router.register("areas", views.AreaViewSet, basename="area")
router.register("units", views.UnitViewSet, basename="unit")
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
