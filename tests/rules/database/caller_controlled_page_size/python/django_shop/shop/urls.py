from django.urls import path
from rest_framework.routers import DefaultRouter

from . import reports, views

router = DefaultRouter()
router.register("orders", views.OrderViewSet)
router.register("catalog", views.ProductViewSet)
router.register("archive", views.ArchiveViewSet)

urlpatterns = [
    path("products/", views.product_list),
    path("products/page/", views.product_page),
    path("products/catalog/", views.product_catalog),
    path("audit/", reports.audit_rows),
    path("audit/recent/", reports.recent_audit_rows),
] + router.urls
