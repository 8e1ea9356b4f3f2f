"""URLs of the registers and the label sheets (mounted at /catalogue/registers/)."""

from thuvien.catalogue.register_views import urlpatterns

app_name = "catalogue_registers"
__all__ = ["app_name", "urlpatterns"]
