"""JSON shapes of the accounts API: the person calling and the memberships they may act in."""

from __future__ import annotations

from rest_framework import serializers

from thuvien.accounts.models import User
from thuvien.organisations.serializers import MembershipSerializer


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "phone", "qualification"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer[dict[str, object]]):
    """The calling person, their current memberships, and the one this request acts in."""

    # Shapes {"user", "memberships", "active_membership_id"}, built by the view from the scope.

    user = UserSerializer(read_only=True)
    memberships = MembershipSerializer(
        many=True, read_only=True, help_text="Current memberships, best first."
    )
    active_membership_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The membership this request acts in; null for a person without one.",
    )
