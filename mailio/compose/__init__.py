"""Composing mail: checked header values, the MIME message, replies and forwards."""

from mailio.compose.headers import HeaderInjection, Mailbox, check_header_value, parse_mailbox, split_mailboxes
from mailio.compose.message import AttachmentData, BuiltMessage, Draft, build_message, new_message_id

__all__ = ["HeaderInjection", "Mailbox", "check_header_value", "parse_mailbox", "split_mailboxes",
           "AttachmentData", "BuiltMessage", "Draft", "build_message", "new_message_id"]
