from django.urls import path
from rest_framework.routers import SimpleRouter

from sanbao.matters.api import views

router = SimpleRouter()
router.register("matters", views.MatterViewSet, basename="matter")
router.register("matter-categories", views.CategoryViewSet, basename="matter-category")

urlpatterns = [
    path("parties/lookup/", views.PartyLookupView.as_view(), name="party-lookup"),
    path("matter-workflows/<str:kind>/", views.WorkflowView.as_view(), name="matter-workflow"),
    *router.urls,
]
