"""The events API under /api/v1/: training events in the caller's scope, with their sessions."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from thuvien.access import Action, get_scoped_or_404
from thuvien.access.api import API_PERMISSIONS, ERROR_RESPONSES, MEMBERSHIP_HEADER, api_scope
from thuvien.events.models import Event, EventSession
from thuvien.events.serializers import EventDetailSerializer, EventSerializer


@extend_schema_view(
    get=extend_schema(
        operation_id="events_list",
        summary="Training events in scope",
        description="Events the active membership can see, newest first.",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: EventSerializer(many=True), **ERROR_RESPONSES},
        tags=["events"],
    )
)
class EventList(generics.ListAPIView[Event]):
    serializer_class = EventSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_EVENTS

    def get_queryset(self) -> QuerySet[Event]:
        scope = api_scope(self.request)
        return Event.objects.visible_to(scope).order_by("-starts_on", "-pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="events_retrieve",
        summary="One training event in scope, with its sessions",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: EventDetailSerializer, **ERROR_RESPONSES},
        tags=["events"],
    )
)
class EventDetail(generics.RetrieveAPIView[Event]):
    serializer_class = EventDetailSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_EVENTS

    def get_object(self) -> Event:
        scope = api_scope(self.request)
        sessions = EventSession.objects.visible_to(scope).order_by("starts_at")
        events = Event.objects.prefetch_related(Prefetch("sessions", sessions))
        return get_scoped_or_404(events, scope, pk=self.kwargs["event_id"])


urlpatterns = [
    path("events/", EventList.as_view(), name="api-event-list"),
    path("events/<int:event_id>/", EventDetail.as_view(), name="api-event-detail"),
]
