"""TLS to the mail server: implicit TLS and STARTTLS, certificates always verified."""

from __future__ import annotations

import pytest

from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.service import check_connection
from mailio.mailboxes.sync import sync_mailbox
from tests.mailio.conftest import message


@pytest.fixture
def trust_test_ca(dovecot, monkeypatch):
    # OpenSSL reads SSL_CERT_FILE whenever a default context loads its CAs: the test CA stands in for
    # the system's, as a company CA would be configured for the service.
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.ca_file))


def account(mail_account, kind: str, security: str, port: int) -> ServerAccount:
    return ServerAccount(kind=kind, host="127.0.0.1", port=port, security=security,
                         username=mail_account.username, password=mail_account.password, timeout_s=10)


@pytest.mark.parametrize("kind,security,port_name", [
    ("imap", "ssl", "imaps_port"), ("imap", "starttls", "imap_port"),
    ("pop3", "ssl", "pop3s_port"), ("pop3", "starttls", "pop3_port")])
def test_an_untrusted_certificate_is_refused_and_a_trusted_one_works(dovecot, mail_account, monkeypatch, kind,
                                                                    security, port_name):
    target = account(mail_account, kind, security, getattr(dovecot, port_name))
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    refused = check_connection(target)
    assert (refused.ok, refused.code) == (False, "tls_failed") and "certificate" in refused.error.lower()
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.ca_file))
    assert check_connection(target).ok


@pytest.mark.parametrize("kind,security,port_name", [
    ("imap", "ssl", "imaps_port"), ("imap", "starttls", "imap_port"), ("pop3", "ssl", "pop3s_port")])
def test_sync_over_tls(runtime, trust_test_ca, dovecot, mail_account, make_mailbox, kind, security,
                       port_name):
    mail_account.append([message(i) for i in range(3)])
    box = make_mailbox(mail_account, kind=kind, security=security, port=getattr(dovecot, port_name))
    assert sync_mailbox(runtime, box).result["stored"] == 3
