"""What can go wrong talking to a mail server, as typed errors with stable codes.

The job layer maps them: an unreachable server or a dropped connection is worth retrying, a refused
password is not. Messages name the host and the reason, never the password.
"""

from __future__ import annotations

from assistant.errors import MailassistError

__all__ = ["MailServerError", "ServerUnreachable", "LoginFailed", "TlsFailed", "FolderMissing",
           "UidValidityChanged"]


class MailServerError(MailassistError):
    """The mail server answered something we cannot use (a protocol error, a refused command)."""

    status = 502
    code = "mail_server_error"


class ServerUnreachable(MailServerError):
    """Connection refused, timed out or dropped: worth retrying later."""

    code = "server_unreachable"


class LoginFailed(MailServerError):
    """The server refused the user name or password: retrying cannot help until they change."""

    code = "login_failed"


class TlsFailed(MailServerError):
    """TLS could not be set up or the certificate is not trusted: a configuration problem."""

    code = "tls_failed"


class FolderMissing(MailServerError):
    code = "folder_missing"


class UidValidityChanged(MailServerError):
    """The folder was recreated on the server while we were reading it: its UIDs mean new messages."""

    code = "uidvalidity_changed"
