"""Import of staff from a spreadsheet. PLACEHOLDER: being written; replaced before commit."""

from django.http import HttpRequest, HttpResponse


def staff_import(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def staff_import_template(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def staff_import_confirm(request: HttpRequest, batch_id: str) -> HttpResponse:
    raise NotImplementedError
