"""Import of units from a spreadsheet. PLACEHOLDER: being written; replaced before commit."""

from django.http import HttpRequest, HttpResponse


def unit_import(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def unit_import_template(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def unit_import_confirm(request: HttpRequest, batch_id: str) -> HttpResponse:
    raise NotImplementedError
