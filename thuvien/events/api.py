"""The events API under /api/v1/: training events in the caller's scope, with their sessions;
an event's sessions, registrations and attendance.

The event is fetched as its page fetches it (out of sight: 404). Who appears in its registrations
and check-ins is the participants' policy (`models.scoping.participants_seen`): the supervisors of
the participant's school (its principal, the office, the Sở), the event's organisers, the
participant and fellow participants; seeing the event alone shows nobody."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from thuvien.access import Action, Scope, allowed_ids, get_scoped_or_404
from thuvien.access.api import API_PERMISSIONS, ERROR_RESPONSES, MEMBERSHIP_HEADER, api_scope
from thuvien.events.models import CheckIn, Event, EventSession, Registration
from thuvien.events.serializers import (
    AttendanceFilterSerializer,
    CheckInSerializer,
    EventDetailSerializer,
    EventSerializer,
    EventSessionSerializer,
    RegistrationSerializer,
)


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
        sessions = EventSession.objects.visible_to(scope).order_by("starts_at", "order", "pk")
        events = Event.objects.prefetch_related(Prefetch("sessions", sessions))
        return get_scoped_or_404(events, scope, pk=self.kwargs["event_id"])


def _event(scope: Scope, event_id: int) -> Event:
    """The event as its page fetches it: out of the scope's sight → 404."""
    return get_scoped_or_404(Event.objects.all(), scope, pk=event_id)


@extend_schema_view(
    get=extend_schema(
        operation_id="events_sessions_list",
        summary="An event's sessions",
        description="The programme of an event in scope, in order: title, start and end, "
        "whether it is a site visit. No venue. An event outside the caller's scope answers 404.",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: EventSessionSerializer(many=True), **ERROR_RESPONSES},
        tags=["events"],
    )
)
class EventSessionList(generics.ListAPIView[EventSession]):
    serializer_class = EventSessionSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_EVENTS

    def get_queryset(self) -> QuerySet[EventSession]:
        scope = api_scope(self.request)
        event = _event(scope, self.kwargs["event_id"])
        rows = EventSession.objects.visible_to(scope).filter(event=event)
        return rows.order_by("starts_at", "order", "pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="events_registrations_list",
        summary="An event's registrations the caller may see",
        description="The people invited to, registered for, waiting for or cancelled from an "
        "event in scope, by school and name — only those the caller may see: the supervisors "
        "of a participant's school (its principal, the office, the department), the event's "
        "organisers, the participant and fellow participants. The certificate's code only for "
        "its holder and the organisers. An event outside the caller's scope answers 404.",
        parameters=[MEMBERSHIP_HEADER],
        responses={200: RegistrationSerializer(many=True), **ERROR_RESPONSES},
        tags=["events"],
    )
)
class EventRegistrationList(generics.ListAPIView[Registration]):
    serializer_class = RegistrationSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_EVENTS

    def get_queryset(self) -> QuerySet[Registration]:
        scope = api_scope(self.request)
        event = _event(scope, self.kwargs["event_id"])
        rows = Registration.objects.visible_to(scope).filter(event=event)
        rows = rows.select_related("user", "school")
        return rows.order_by("school__path", "user__full_name", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        # The certificates the caller may download (the registration's policy), in one query.
        mine = Registration.objects.filter(pk__in=[row.pk for row in page])
        shown = allowed_ids(mine, api_scope(request), Action.DOWNLOAD_CERTIFICATE)
        context = {**self.get_serializer_context(), "certificates": shown}
        serializer = self.get_serializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)


@extend_schema_view(
    get=extend_schema(
        operation_id="events_attendance_list",
        summary="An event's check-ins the caller may see",
        description="Who was present at each session of an event in scope (by session, then "
        "name), when and how they checked in — only the check-ins the caller may see: the "
        "organisers all of them, a principal those of the school, the office and the "
        "department those of the schools below them, a participant their own and fellow "
        "participants'. An event outside the caller's scope answers 404.",
        parameters=[AttendanceFilterSerializer, MEMBERSHIP_HEADER],
        responses={200: CheckInSerializer(many=True), **ERROR_RESPONSES},
        tags=["events"],
    )
)
class EventAttendanceList(generics.ListAPIView[CheckIn]):
    serializer_class = CheckInSerializer
    permission_classes = API_PERMISSIONS
    required_action = Action.VIEW_EVENTS

    def get_queryset(self) -> QuerySet[CheckIn]:
        filters = AttendanceFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        scope = api_scope(self.request)
        event = _event(scope, self.kwargs["event_id"])
        rows = CheckIn.objects.visible_to(scope).filter(session__event=event)
        if "session" in filters.validated_data:
            rows = rows.filter(session_id=filters.validated_data["session"])
        rows = rows.select_related("session", "registration__user", "school")
        return rows.order_by(
            "session__starts_at", "session_id", "registration__user__full_name", "pk"
        )


urlpatterns = [
    path("events/", EventList.as_view(), name="api-event-list"),
    path("events/<int:event_id>/", EventDetail.as_view(), name="api-event-detail"),
    path("events/<int:event_id>/sessions/", EventSessionList.as_view(), name="api-event-sessions"),
    path(
        "events/<int:event_id>/registrations/",
        EventRegistrationList.as_view(),
        name="api-event-registrations",
    ),
    path(
        "events/<int:event_id>/attendance/",
        EventAttendanceList.as_view(),
        name="api-event-attendance",
    ),
]
