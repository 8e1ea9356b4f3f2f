"""Attendance: the QR check-in at the venue, the organiser's list, materials for participants."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
