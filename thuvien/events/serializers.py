"""JSON shapes of the events API (list and detail with sessions)."""

from __future__ import annotations

from rest_framework import serializers

from thuvien.events.models import Event, EventSession


class EventSerializer(serializers.ModelSerializer[Event]):
    class Meta:
        model = Event
        fields = ["id", "title", "status", "organiser", "target", "starts_on", "ends_on"]
        read_only_fields = fields


class EventSessionSerializer(serializers.ModelSerializer[EventSession]):
    class Meta:
        model = EventSession
        fields = ["id", "title", "starts_at"]
        read_only_fields = fields


class EventDetailSerializer(EventSerializer):
    sessions = EventSessionSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "capacity", "sessions"]
        read_only_fields = fields
