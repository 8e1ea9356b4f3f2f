"""Self-training record screens (being written)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
