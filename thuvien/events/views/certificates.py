"""Attendance certificates as PDF, and the public page that verifies them."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
