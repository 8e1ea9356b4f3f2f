"""The participants' survey and its summary for the organiser and the department."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
