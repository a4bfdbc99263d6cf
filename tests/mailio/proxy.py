"""A loopback TCP proxy that cuts connections: the network failing under a real client and server.

Each accepted connection is forwarded to the target. ``cut_after`` lists, per new connection in
order, after how many bytes from the server that connection is cut (both sides closed at once, as a
dropped line or a NAT timeout would); connections beyond the list are left alone. :meth:`drop_all`
cuts every open connection now.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Sequence

__all__ = ["CuttingProxy"]


class CuttingProxy:
    host = "127.0.0.1"

    def __init__(self, target_host: str, target_port: int, cut_after: Sequence[int] = ()):
        self.target = (target_host, target_port)
        self.cut_after = list(cut_after)
        self.connections = 0
        self.cuts = 0
        self.from_clients = bytearray()  # everything clients sent, to check what was said
        self._lock = threading.Lock()
        self._open: list[tuple[socket.socket, socket.socket]] = []
        self._listener = socket.create_server((self.host, 0))
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="cutting-proxy", daemon=True)

    def __enter__(self) -> CuttingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        self.drop_all(count=False)

    def drop_all(self, *, count: bool = True) -> int:
        with self._lock:
            pairs, self._open = self._open, []
        for pair in pairs:
            _close(*pair)
        if count:
            self.cuts += len(pairs)
        return len(pairs)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            with self._lock:
                index = self.connections
                self.connections += 1
                limit = self.cut_after[index] if index < len(self.cut_after) else None
                self._open.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, None, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, limit), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, limit: int | None,
              record: bool = False) -> None:
        passed = 0
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if limit is not None and passed + len(data) >= limit:
                    sink.sendall(data[:max(0, limit - passed)])
                    with self._lock:
                        self.cuts += 1
                    break
                sink.sendall(data)
                passed += len(data)
                if record:
                    with self._lock:
                        self.from_clients += data
        except OSError:
            pass
        _close(source, sink)
        with self._lock:
            self._open = [p for p in self._open if source not in p]


def _close(*socks: socket.socket) -> None:
    for sock in socks:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
