"""The signed-in user's BCC dropbox address: show, regenerate, download as a vCard, what it creates."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from api.deps import DB, CurrentIdentity, get_runtime, protected
from api.errors import error_responses
from mailio.ingest.dropbox import DropboxService
from mailio.ingest.schemas import DropboxIn, DropboxOut

__all__ = ["router"]

router = protected(prefix="/v1", tags=["dropbox"], responses=error_responses(401, 403))


def _service(request: Request, who, session) -> DropboxService:
    return DropboxService(session, get_runtime(request).settings, who)


@router.get("/me/dropbox", response_model=DropboxOut)
def get_dropbox(request: Request, who: CurrentIdentity, session: DB) -> DropboxOut:
    service = _service(request, who, session)
    return DropboxOut(address=service.address(), creates=service.creates())


@router.post("/me/dropbox/regenerate", response_model=DropboxOut)
def regenerate(request: Request, who: CurrentIdentity, session: DB) -> DropboxOut:
    """A new secret address; mail to the old one is refused from now on."""
    service = _service(request, who, session)
    return DropboxOut(address=service.regenerate(), creates=service.creates())


@router.put("/me/dropbox", response_model=DropboxOut, responses=error_responses(422))
def put_dropbox(body: DropboxIn, request: Request, who: CurrentIdentity, session: DB) -> DropboxOut:
    """What a BCC'd mail creates for a recipient the CRM does not know: nothing, a lead or a contact."""
    service = _service(request, who, session)
    service.set_creates(body.creates)
    return DropboxOut(address=service.address(), creates=service.creates())


@router.get("/me/dropbox.vcf", response_class=Response,
            responses={200: {"content": {"text/vcard": {}}, "description": "The address as a vCard"}})
def dropbox_vcard(request: Request, who: CurrentIdentity, session: DB) -> Response:
    card = _service(request, who, session).vcard()
    return Response(card, media_type="text/vcard; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="mailassist-dropbox.vcf"',
                             "Cache-Control": "no-store"})
