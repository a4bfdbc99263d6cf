"""A real Dovecot (IMAP + POP3) on loopback, unprivileged, in a temporary directory.

Used by the mailio tests (a session-scoped fixture) and by ``bench/imap_sync.py``. Run as root, the
server drops to ``nobody`` with setpriv (it cannot bind privileged ports or change users anyway);
run as anyone else, it runs as that user. Users live in a passwd-file with plain passwords.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["Dovecot", "dovecot_missing"]

DOVECOT = "/usr/sbin/dovecot"

_CONFIG = """\
protocols = imap pop3
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
# A failed login normally costs 2-4 s; tests log in badly on purpose.
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = 0
mail_location = maildir:~/Maildir
mail_plugins =
mail_fsync = never
imap_idle_notify_interval = 1 secs
# Many short connections in tests and the bench: no per-IP limit getting in the way.
mail_max_userip_connections = 1000
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
  chroot =
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop3_port}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {pop3s_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
service imap {{
  process_limit = 200
}}
service stats {{
  unix_listener stats-reader {{
    user = {user}
    mode = 0666
  }}
  unix_listener stats-writer {{
    user = {user}
    mode = 0666
  }}
}}
"""


def dovecot_missing() -> str | None:
    """Why Dovecot cannot run here, or None when it can."""
    if not Path(DOVECOT).exists():
        return "dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d; `make test` does it)"
    if not Path("/usr/lib/dovecot/imap").exists():
        return "dovecot-imapd is not installed"
    if not Path("/usr/lib/dovecot/pop3").exists():
        return "dovecot-pop3d is not installed"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    """Start with :meth:`start`, add users with :meth:`add_user`, stop with :meth:`stop`."""

    host = "127.0.0.1"

    def __init__(self, root: Path | None = None, *, tls: bool = False):
        self.root = Path(root or tempfile.mkdtemp(prefix="mailassist-dovecot-"))
        self.imap_port = _free_port()
        self.pop3_port = _free_port()
        # With tls: IMAPS and POP3S listeners, STARTTLS/STLS on the plain ports, and a private CA
        # (``ca_file``) that clients must be told to trust.
        self.tls = tls
        self.imaps_port = _free_port() if tls else 0
        self.pop3s_port = _free_port() if tls else 0
        self.ca_file: Path | None = None
        self.process: subprocess.Popen | None = None
        if os.getuid() == 0:
            # Dovecot as root would want to setuid per user; as nobody it needs no privilege at all.
            self.uid = self.gid = 65534
            entry = pwd.getpwuid(65534)
            self.user = entry.pw_name
            self.group = "nogroup"
            self._prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        else:
            self.uid, self.gid = os.getuid(), os.getgid()
            self.user = pwd.getpwuid(self.uid).pw_name
            import grp

            self.group = grp.getgrgid(self.gid).gr_name
            self._prefix = []
        self._users: dict[str, str] = {}

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self, timeout: float = 20.0) -> None:
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self.root / "users").touch()
        ssl = "ssl = no"
        if self.tls:
            self.ca_file, cert, key = _make_certificates(self.root / "tls")
            ssl = f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}"
        (self.root / "dovecot.conf").write_text(_CONFIG.format(
            root=self.root, user=self.user, group=self.group, uid=self.uid, imap_port=self.imap_port,
            pop3_port=self.pop3_port, imaps_port=self.imaps_port, pop3s_port=self.pop3s_port, ssl=ssl))
        self._chown(self.root)
        log = open(self.root / "stdout.log", "ab")
        self.process = subprocess.Popen([*self._prefix, DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.log_tail()}")
            ports = [p for p in (self.imap_port, self.pop3_port, self.imaps_port, self.pop3s_port) if p]
            if all(self._listening(p) for p in ports):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not start in {timeout}s: {self.log_tail()}")

    def _listening(self, port: int) -> bool:
        try:
            with socket.create_connection((self.host, port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, chars: int = 3000) -> str:
        text = ""
        for name in ("stdout.log", "dovecot.log"):
            path = self.root / name
            if path.exists():
                text += path.read_text(errors="replace")
        return text[-chars:]

    def _chown(self, path: Path) -> None:
        if os.getuid() != 0:
            return
        for dirpath, _dirnames, filenames in os.walk(path):
            os.chown(dirpath, self.uid, self.gid)
            for name in filenames:
                os.chown(os.path.join(dirpath, name), self.uid, self.gid)

    # --- users -------------------------------------------------------------------------------------
    def add_user(self, username: str, password: str, *, wait: bool = True) -> None:
        """A new mail account. Dovecot re-reads the passwd-file when it changes, but looks at most once a
        second, so by default this waits until the account can log in."""
        self.add_users({username: password})
        if wait:
            self._wait_for_login(username, password)

    def add_users(self, accounts: dict[str, str]) -> None:
        """Many accounts in one write (a pool made at start is usable at once)."""
        for username, password in accounts.items():
            home = self.root / "home" / username.replace("@", "_at_")
            home.mkdir(parents=True, exist_ok=True)
            self._chown(home)
            self._users[username] = password
        lines = [f"{u}:{{PLAIN}}{p}:{self.uid}:{self.gid}::{self.root / 'home' / u.replace('@', '_at_')}::"
                 for u, p in self._users.items()]
        path = self.root / "users"
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n")
        self._chown(tmp)
        tmp.replace(path)

    def _wait_for_login(self, username: str, password: str, timeout: float = 5.0) -> None:
        import imaplib

        deadline = time.monotonic() + timeout
        while True:
            client = imaplib.IMAP4(self.host, self.imap_port, timeout=5)
            try:
                client.login(username, password)
            except imaplib.IMAP4.error:
                client.shutdown()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
            else:
                client.logout()
                return

    def home(self, username: str) -> Path:
        return self.root / "home" / username.replace("@", "_at_")


def _make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a certificate it signed for 127.0.0.1 / localhost (valid for a day)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mailassist test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(
              digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
              key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
              decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = (folder / "ca.pem", folder / "server.pem", folder / "server.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths
