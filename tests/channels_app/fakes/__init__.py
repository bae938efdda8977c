"""Fake provider servers: real HTTP on 127.0.0.1 (an ephemeral port, a thread), which
record every request and answer with scripted responses, then with the provider's
documented success. The adapters talk to them exactly as to the real APIs."""

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    """One request the fake received, and the status it answered."""

    method: str
    path: str
    headers: dict[str, str]
    raw: bytes
    body: Any
    status: int = 0


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # Close the connection without answering (a network failure, as the client sees it).
    disconnect: bool = False


class FakeProvider:
    """Subclasses answer successful calls in their provider's shape (`succeed`)."""

    def __init__(self):
        self.requests: list[Recorded] = []
        self.script: deque[Answer] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._running = False

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeProvider":
        self._thread.start()
        self._running = True
        return self

    def stop(self) -> None:
        """Shut down: from now on connections are refused (the provider is down)."""
        if self._running:
            self._server.shutdown()
            self._running = False
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def then(self, *answers: Answer) -> "FakeProvider":
        """Answer the next requests with these, in order; afterwards succeed again."""
        with self._lock:
            self.script.extend(answers)
        return self

    def answered(self, status: int = 200) -> list[Recorded]:
        return [request for request in self.requests if request.status == status]

    def succeed(self, request: Recorded) -> Answer:
        raise NotImplementedError

    def _answer(self, request: Recorded) -> Answer:
        with self._lock:
            scripted = self.script.popleft() if self.script else None
        answer = scripted or self.succeed(request)
        request.status = 0 if answer.disconnect else answer.status
        with self._lock:
            self.requests.append(request)
        return answer


def _handler_for(fake: FakeProvider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self._handle()

        def do_POST(self):
            self._handle()

        def _handle(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            request = Recorded(
                method=self.command,
                path=self.path,
                headers={key.lower(): value for key, value in self.headers.items()},
                raw=raw,
                body=body,
            )
            answer = fake._answer(request)
            if answer.disconnect:
                self.close_connection = True
                return
            payload = json.dumps(answer.body if answer.body is not None else {}).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):  # keep the test output quiet
            pass

    return Handler
