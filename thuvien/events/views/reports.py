"""The event report: attendance by school and office, feedback, schools that sent nobody."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
