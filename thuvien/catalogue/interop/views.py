"""The SRU server (/sru) and the OAI-PMH provider (/oai): public, read-only, no login.

They answer other library systems with the province's shared records, which are public by
design (the records, not the schools' copies); the reading is in `sru.py` and `oai.py`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from thuvien.catalogue.interop import oai, sru

XML = "application/xml; charset=utf-8"
# Public answers: a harvester or a proxy may keep them a minute.
PUBLIC = "public, max-age=60"


def _xml(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=XML)
    response["Cache-Control"] = PUBLIC
    return response


@require_safe
def sru_endpoint(request: HttpRequest) -> HttpResponse:
    host = request.get_host().rsplit(":", 1)[0] if ":" in request.get_host() else request.get_host()
    return _xml(
        sru.respond(request.GET, host=host, port=int(request.get_port()), database=request.path[1:])
    )


@csrf_exempt  # OAI-PMH harvesters may POST their request (a form, no session, nothing changed)
@require_http_methods(["GET", "HEAD", "POST"])
def oai_endpoint(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    return _xml(
        oai.respond(dict(params.lists()), base_url=request.build_absolute_uri(request.path))
    )
