"""Signature → contact fields: the author's signature block found in the zoned body and parsed into name,
title, department, company, phones (E.164), e-mails, websites, social profiles and postal address, each
with a confidence and the line it came from. The pipeline component is ``nlp.signature.component``."""

from nlp.signature.block import Block, find_block
from nlp.signature.fields import FIELD_NAMES, Sender, SignatureParser

__all__ = ["FIELD_NAMES", "Block", "Sender", "SignatureParser", "find_block"]
