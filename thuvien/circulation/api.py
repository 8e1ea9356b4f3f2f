"""The desk's API under /api/v1/desk/, for scanner apps and self-check stations: check out (a
reader's code and a copy's barcode), return (the barcode alone), and a copy's availability.
Each call acts at the school of the caller's membership (a librarian's, with `LEND`); a scan
key makes a call sent twice do its work once, as at the desk. A refusal answers 422 with the
message to show."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuvien.access import Action
from thuvien.access.api import API_PERMISSIONS, ERROR_RESPONSES, MEMBERSHIP_HEADER, api_scope
from thuvien.circulation.models import Loan
from thuvien.circulation.services import CirculationError, desk, holds
from thuvien.core.api_errors import ErrorSerializer
from thuvien.organisations.models import Unit

TAGS = ["desk"]


class CheckoutIn(serializers.Serializer[Any]):
    reader = serializers.CharField(max_length=30, help_text="The reader's code (library card).")
    barcode = serializers.CharField(max_length=40, help_text="The copy's barcode.")
    key = serializers.CharField(
        max_length=64, required=False, default="", help_text="The scan's own id: resent, done once."
    )


class CheckinIn(serializers.Serializer[Any]):
    barcode = serializers.CharField(max_length=40)
    key = serializers.CharField(max_length=64, required=False, default="")


class LoanOut(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=["done", "repeated"])
    message = serializers.CharField()
    loan = serializers.IntegerField()
    title = serializers.CharField()
    barcode = serializers.CharField()
    due = serializers.DateField()
    returned = serializers.BooleanField()
    hold_for = serializers.CharField(help_text="The reader a returned copy is now set aside for.")


class AvailabilityOut(serializers.Serializer[Any]):
    barcode = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    available = serializers.BooleanField()
    due = serializers.DateField(allow_null=True)
    set_aside_for_hold = serializers.BooleanField()


REFUSED = {422: OpenApiResponse(ErrorSerializer, description="Refused: `detail` says why.")}


def _school(request: Request) -> Unit:
    school = api_scope(request).school
    if school is None:
        raise Http404
    return school


def _answer(outcome: desk.Outcome) -> Response:
    return Response(outcome.as_dict())


def _refused(error: CirculationError) -> Response:
    return Response({"detail": str(error)}, status=422)


class Checkout(APIView):
    permission_classes = API_PERMISSIONS
    required_action = Action.LEND

    @extend_schema(
        operation_id="desk_checkout",
        summary="Lend a copy to a reader (by their codes)",
        parameters=[MEMBERSHIP_HEADER],
        request=CheckoutIn,
        responses={200: LoanOut, **ERROR_RESPONSES, **REFUSED},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        school = _school(request)
        data = CheckoutIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            reader = desk.find_reader(school, data.validated_data["reader"])
            outcome = desk.check_out(
                school, reader, data.validated_data["barcode"], by=request.user,
                key=data.validated_data["key"],
            )  # fmt: skip
        except CirculationError as error:
            return _refused(error)
        return _answer(outcome)


class Checkin(APIView):
    permission_classes = API_PERMISSIONS
    required_action = Action.LEND

    @extend_schema(
        operation_id="desk_checkin",
        summary="Take a copy back (its barcode alone)",
        parameters=[MEMBERSHIP_HEADER],
        request=CheckinIn,
        responses={200: LoanOut, **ERROR_RESPONSES, **REFUSED},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        school = _school(request)
        data = CheckinIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            outcome = desk.check_in(
                school, data.validated_data["barcode"], by=request.user,
                key=data.validated_data["key"],
            )  # fmt: skip
        except CirculationError as error:
            return _refused(error)
        return _answer(outcome)


class Availability(APIView):
    permission_classes = API_PERMISSIONS
    required_action = Action.LEND

    @extend_schema(
        operation_id="desk_availability",
        summary="Whether a copy of the school can be lent now",
        parameters=[
            MEMBERSHIP_HEADER,
            OpenApiParameter("barcode", str, required=True, description="The copy's barcode."),
        ],
        responses={200: AvailabilityOut, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        school = _school(request)
        try:
            copy = desk.find_copy(school, request.query_params.get("barcode", ""))
        except CirculationError as error:
            raise Http404 from error
        loan = Loan.objects.visible_to(api_scope(request)).filter(copy=copy).open().first()
        aside = holds.held_for(copy)
        return Response(
            {
                "barcode": copy.barcode,
                "title": copy.record.title,
                "status": copy.status,
                "available": copy.status == "available" and loan is None and aside is None,
                "due": loan.due_on if loan else None,
                "set_aside_for_hold": aside is not None,
            }
        )


urlpatterns = [
    path("desk/checkout/", Checkout.as_view(), name="api-desk-checkout"),
    path("desk/checkin/", Checkin.as_view(), name="api-desk-checkin"),
    path("desk/availability/", Availability.as_view(), name="api-desk-availability"),
]
