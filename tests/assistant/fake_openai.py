"""A fake OpenAI-compatible server: real HTTP on 127.0.0.1 (an ephemeral port, a
thread) answering POST /v1/chat/completions in OpenAI's response format. It records
every request and is programmed per test: the reply text, a delay, a status, or a
body that is not JSON."""

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    """One request the fake got."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def raw_text(self) -> str:
        return json.dumps(self.body, ensure_ascii=False)

    def content(self, role: str) -> str:
        return "\n".join(
            message["content"]
            for message in (self.body or {}).get("messages", [])
            if message.get("role") == role and isinstance(message.get("content"), str)
        )


class FakeOpenAI:
    """What it answers next: `reply` (text), `delay` (seconds before answering),
    `status` (an error status answers OpenAI's error shape), `malformed` (not JSON),
    `finish_reason`."""

    def __init__(self):
        self.reply = "OK"
        self.delay = 0.0
        self.status = 200
        self.malformed = False
        self.finish_reason = "stop"
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # release requests still waiting out a delay
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _record(self, request: Received) -> None:
        with self._lock:
            self.requests.append(request)

    def _wait(self) -> None:
        if self.delay:
            self._stopping.wait(self.delay)

    def _completion(self, body: dict) -> dict:
        return {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.reply},
                    "logprobs": None,
                    "finish_reason": self.finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
        }


def _handler_for(fake: FakeOpenAI):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            fake._record(
                Received(
                    method="POST",
                    path=self.path,
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=body,
                )
            )
            fake._wait()
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, {"error": {"message": "not found", "type": "invalid_request"}})
            elif fake.status != 200:
                self._send(
                    fake.status, {"error": {"message": "fake failure", "type": "server_error"}}
                )
            elif fake.malformed:
                self._send(200, b'{"id": "chatcmpl-broken", "choices": [ {"message": ')
            else:
                self._send(200, fake._completion(body or {}))

        def _send(self, status: int, payload) -> None:
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up waiting
                self.close_connection = True

        def log_message(self, format, *args):  # keep the test output quiet
            pass

    return Handler
