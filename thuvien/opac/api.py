"""The public catalogue's search as JSON under /api/v1/opac/<library>/search/: the same search,
ranking, facets and availability as the page (`opac.search`), for apps and other systems."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuvien.access.api import API_PERMISSIONS, ERROR_RESPONSES, MEMBERSHIP_HEADER
from thuvien.opac import search


class HitOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    author = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    doc_type = serializers.CharField()
    copies = serializers.IntegerField(help_text="Copies the library shows (each counted once).")
    on_shelf = serializers.IntegerField(help_text="Of those, free to borrow now.")


class SearchOut(serializers.Serializer[Any]):
    query = serializers.CharField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = HitOut(many=True)
    facets = serializers.DictField(
        child=serializers.ListField(child=serializers.ListField()),
        help_text="Each facet's values with their counts: [[value, count], …].",
    )


class OpacSearch(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        operation_id="opac_search",
        summary="Search a school's or the province's public catalogue",
        parameters=[
            MEMBERSHIP_HEADER,
            OpenApiParameter("q", str, description="Words, with or without diacritics."),
            OpenApiParameter("page", int, description="The page of 20 results (default 1)."),
            *[
                OpenApiParameter(name, str, description="A facet's value.")
                for name in search.FACETS
            ],
            OpenApiParameter("available", str, description="1: only titles with a copy free."),
        ],
        responses={200: SearchOut, **ERROR_RESPONSES},
        tags=["opac"],
    )
    def get(self, request: Request, library_id: int) -> Response:
        library = search.library_of(library_id)
        if library is None:
            raise Http404
        params = request.query_params
        filters = {name: params.get(name, "")[:100] for name in (*search.FACETS, "available")}
        page = params.get("page", "1")
        found = search.search(
            library, params.get("q", "")[:200], filters=filters,
            page=int(page) if page.isdigit() else 1,
        )  # fmt: skip
        return Response(
            {
                "query": found.query,
                "total": found.total,
                "page": found.page,
                "pages": found.pages,
                "results": [
                    {
                        "id": r.pk,
                        "title": r.title,
                        "author": r.author,
                        "year": r.year,
                        "doc_type": r.doc_type,
                        "copies": found.held.get(r.pk, 0),
                        "on_shelf": found.free.get(r.pk, 0),
                    }
                    for r in found.records
                ],
                "facets": {
                    name: [list(pair) for pair in pairs] for name, pairs in found.facets.items()
                },
            }
        )


urlpatterns = [
    path("opac/<int:library_id>/search/", OpacSearch.as_view(), name="api-opac-search"),
]
