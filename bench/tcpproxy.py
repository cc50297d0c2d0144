"""A small thread-based TCP forwarder that can be cut: the soak run puts it between the app and
PostgreSQL, so that it can take the database away and give it back.

    proxy = TCPProxy("127.0.0.1", 5432)   # listens on a free loopback port: proxy.port
    proxy.start()
    proxy.cut()       # closes the listening socket (new connections are refused) and drops
                      # every open connection, as a database restart or a network cut does
    proxy.restore()   # listens again on the same port
    proxy.stop()

Each connection gets two threads, one per direction; an end of file in one direction is passed
on as a half-close, so a client may shut down its side and still read the answer.
"""

import contextlib
import select
import socket
import threading

BUFFER = 64 * 1024
UPSTREAM_CONNECT_TIMEOUT = 5.0
ACCEPT_POLL = 0.1


class _Connection:
    """A client socket and its upstream socket; closed when both directions have ended."""

    def __init__(self, proxy, client: socket.socket, upstream: socket.socket):
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self._lock = threading.Lock()
        self._open_directions = 2
        self._closed = False

    def start(self):
        for source, target in ((self.client, self.upstream), (self.upstream, self.client)):
            threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket):
        try:
            while True:
                data = source.recv(BUFFER)
                if not data:
                    break
                target.sendall(data)
                self.proxy._count_bytes(len(data))
        except OSError:  # reset, or closed by close(): the whole connection goes
            self.close()
            return
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)
        with self._lock:
            self._open_directions -= 1
            done = self._open_directions == 0
        if done:
            self.close()

    def close(self):
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.proxy._forget(self)


class TCPProxy:
    def __init__(self, upstream_host: str, upstream_port: int, *, host="127.0.0.1", port=0):
        self.upstream = (upstream_host, upstream_port)
        self.host = host
        self.port = port
        self.connections_accepted = 0
        self.bytes_forwarded = 0
        self._lock = threading.Lock()
        self._connections: set[_Connection] = set()
        self._listener: socket.socket | None = None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    # Life cycle --------------------------------------------------------------------------

    def start(self):
        self._listen()
        self._thread = threading.Thread(target=self._accept_loop, name="tcpproxy", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopped.set()
        self.cut()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def is_cut(self) -> bool:
        with self._lock:
            return self._listener is None

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._connections)

    def cut(self):
        """From now on connections are refused, and those open are dropped."""
        with self._lock:
            listener, self._listener = self._listener, None
            connections = list(self._connections)
        if listener is not None:
            # shutdown() first: it stops the listening at once (resetting the connections in
            # the backlog), while close() alone waits for the accept loop's select() to let go.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for connection in connections:
            connection.close()

    def restore(self):
        """Listens again, on the same port."""
        if self._stopped.is_set():
            raise RuntimeError("the proxy is stopped")
        if self.is_cut:
            self._listen()

    # Internals ---------------------------------------------------------------------------

    def _listen(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # The port comes back at once on restore(), whatever connections are in TIME_WAIT.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, self.port))
            listener.listen(128)
        except OSError:
            listener.close()
            raise
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener

    def _accept_loop(self):
        while not self._stopped.is_set():
            with self._lock:
                listener = self._listener
            if listener is None:
                self._stopped.wait(ACCEPT_POLL)
                continue
            try:
                ready, _, _ = select.select([listener], [], [], ACCEPT_POLL)
                if not ready:
                    continue
                client, _ = listener.accept()
            except (OSError, ValueError):  # closed by cut() meanwhile
                continue
            # Connecting upstream in its own thread: a slow server behind holds up no other client.
            threading.Thread(target=self._forward, args=(client, listener), daemon=True).start()

    def _forward(self, client: socket.socket, listener: socket.socket):
        try:
            upstream = socket.create_connection(self.upstream, timeout=UPSTREAM_CONNECT_TIMEOUT)
        except OSError:
            client.close()  # the server behind is down: so is this connection
            return
        upstream.settimeout(None)
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = _Connection(self, client, upstream)
        with self._lock:
            # cut() may have come since accept(): then this connection is dropped too.
            accepting = self._listener is listener
            if accepting:
                self.connections_accepted += 1
                self._connections.add(connection)
        if accepting:
            connection.start()
        else:
            connection.close()

    def _forget(self, connection: _Connection):
        with self._lock:
            self._connections.discard(connection)

    def _count_bytes(self, count: int):
        with self._lock:
            self.bytes_forwarded += count
