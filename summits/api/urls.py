"""URLs of the partner API; the host project mounts them under api/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from . import views

app_name = "summits_api"

router = SimpleRouter()
router.register("summits", views.SummitViewSet, basename="summit")
router.register("withdrawals", views.WithdrawalViewSet, basename="withdrawal")

# The documentation is public: partners read it before they have a key.
public = {"authentication_classes": [], "permission_classes": [AllowAny], "throttle_classes": []}

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(**public), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="summits_api:schema", **public),
        name="docs",
    ),
]
