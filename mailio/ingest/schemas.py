"""API schemas of the BCC dropbox."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["DropboxOut", "DropboxIn"]


class DropboxOut(BaseModel):
    address: str
    creates: Literal["none", "lead", "contact"] | str
    vcard_url: str = "/v1/me/dropbox.vcf"


class DropboxIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    creates: Literal["none", "lead", "contact"]
