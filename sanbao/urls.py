from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from sanbao.core.views import healthz
from sanbao.intake.api.search import SearchView

api_v1 = [
    path("", include("sanbao.org.api.urls")),
    path("", include("sanbao.deadlines.api.urls")),
    path("", include("sanbao.matters.api.urls")),
    path("intake/triage/", include("sanbao.intake.api.triage")),
    path("intake/", include("sanbao.intake.api.duplicates")),
    path("search/", SearchView.as_view(), name="search-api"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("sanbao.accounts.urls")),
    path("deadlines/", include("sanbao.deadlines.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
    path("org/", include("sanbao.org.urls")),
    path("audit/", include("sanbao.audit.urls")),
    path("matters/", include("sanbao.matters.urls")),
    path("intake/triage/", include("sanbao.intake.urls_triage")),
    path("intake/", include("sanbao.intake.urls")),
    path("search/", include("sanbao.intake.urls_search")),
    path("", include("sanbao.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
