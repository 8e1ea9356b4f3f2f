"""Photos of an event: upload, thumbnails, captions, order; participants' and public gallery."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
