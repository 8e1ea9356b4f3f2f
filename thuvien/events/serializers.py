"""JSON shapes of the events API: events (list, detail with sessions), an event's sessions, its
registrations and its attendance. Never a venue: the text can name a partner's premises and its
address to people outside it (the URL walker found one)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from thuvien.events.models import (
    CheckIn,
    CheckInMethod,
    Event,
    EventSession,
    Registration,
    RegistrationStatus,
)
from thuvien.organisations.serializers import UnitRefSerializer


class EventSerializer(serializers.ModelSerializer[Event]):
    class Meta:
        model = Event
        fields = ["id", "title", "status", "organiser", "target", "starts_on", "ends_on"]
        read_only_fields = fields


class EventSessionSerializer(serializers.ModelSerializer[EventSession]):
    class Meta:
        model = EventSession
        fields = ["id", "title", "starts_at", "ends_at", "is_site_visit"]
        read_only_fields = fields


class EventDetailSerializer(EventSerializer):
    sessions = EventSessionSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "capacity", "sessions"]
        read_only_fields = fields


class ParticipantSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class RegistrationStatusSerializer(serializers.Serializer[Registration]):
    code = serializers.ChoiceField(choices=RegistrationStatus.choices, source="status")
    label = serializers.CharField(source="get_status_display")  # type: ignore[assignment]


class RegistrationSerializer(serializers.ModelSerializer[Registration]):
    """A person at the event. The certificate's code (the key of its public verification page)
    only for its holder and the event's organisers, who download it; null for anyone else."""

    person = ParticipantSerializer(source="user")
    school = UnitRefSerializer()
    status = RegistrationStatusSerializer(source="*")
    certificate_code = serializers.SerializerMethodField(
        help_text="Once issued, for the holder and the organisers only; otherwise null."
    )

    class Meta:
        model = Registration
        fields = ["id", "person", "school", "status", "registered_at", "certificate_code"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_certificate_code(self, registration: Registration) -> str | None:
        shown: set[int] = self.context.get("certificates", set())
        if registration.pk in shown and registration.certificate_code:
            return registration.certificate_code
        return None


class SessionRefSerializer(serializers.ModelSerializer[EventSession]):
    class Meta:
        model = EventSession
        fields = ["id", "title", "starts_at"]
        read_only_fields = fields


class CheckInMethodSerializer(serializers.Serializer[CheckIn]):
    code = serializers.ChoiceField(choices=CheckInMethod.choices, source="method")
    label = serializers.CharField(source="get_method_display")  # type: ignore[assignment]


class CheckInSerializer(serializers.ModelSerializer[CheckIn]):
    """One person's presence at one session."""

    session = SessionRefSerializer()
    registration = serializers.IntegerField(source="registration_id")
    person = ParticipantSerializer(source="registration.user")
    school = UnitRefSerializer()
    method = CheckInMethodSerializer(source="*")

    class Meta:
        model = CheckIn
        fields = ["id", "session", "registration", "person", "school", "at", "method"]
        read_only_fields = fields


class AttendanceFilterSerializer(serializers.Serializer[dict[str, object]]):
    session = serializers.IntegerField(
        required=False, min_value=1, help_text="Only the check-ins of this session."
    )
