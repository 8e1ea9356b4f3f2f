"""The department's province dashboard, its drill-down and exports."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
