"""Files of the training records, served only through the scoping module (never from media)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
