"""The office's side: its schools' packages and its aggregate report to the department."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
