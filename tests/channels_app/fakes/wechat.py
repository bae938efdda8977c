"""A fake WeChat API on loopback and WeChat's side of the webhook.

The API (real HTTP, an ephemeral port, a thread): GET /cgi-bin/token hands out access
tokens for the right AppID and secret; POST /cgi-bin/message/custom/send accepts a
customer-service message for a token it handed out. Scripted answers (`then`) come
first; `expire_tokens()` makes every token handed out so far expired (42001).

The webhook side signs pushes as WeChat does and, in safe mode, encrypts them with its
own implementation of WeChat's scheme (not the adapter's), so the two are checked
against each other."""

import base64
import hashlib
import itertools
import json
import secrets
import struct
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.cache import cache

from channels_app.adapters import get_adapter, reset_adapters

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wechat"
TOKEN = "portolan-wechat-token"
APP_ID = "wx5a8c1d2e3f4b6a70"
APP_SECRET = "app-secret-for-tests-0123456789ab"
# 43 characters, as WeChat shows it; the AES key is its base64 decoding (with "=").
ENCODING_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNT = "gh_7f083739789a"
ADAPTER = "channels_app.adapters.wechat.WeChatAdapter"
TOKEN_PATH = "/cgi-bin/token"
SEND_PATH = "/cgi-bin/message/custom/send"


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    raw: bytes
    body: object
    answer: dict


class WeChatFake:
    def __init__(self):
        self.calls: list[Call] = []
        self._script: dict[str, deque[dict]] = {TOKEN_PATH: deque(), SEND_PATH: deque()}
        self._numbers = itertools.count(1)
        self._valid: set[str] = set()
        self._expired: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "WeChatFake":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def then(self, path: str, *answers: dict) -> "WeChatFake":
        """Answer the next calls to `path` with these JSON bodies, then normally again."""
        with self._lock:
            self._script[path].extend(answers)
        return self

    def expire_tokens(self) -> None:
        with self._lock:
            self._expired |= self._valid
            self._valid.clear()

    def calls_to(self, path: str) -> list[Call]:
        return [call for call in self.calls if call.path == path]

    def delivered(self) -> list[dict]:
        """Customer-service messages WeChat accepted."""
        return [call.body for call in self.calls_to(SEND_PATH) if call.answer.get("errcode") == 0]

    def _answer(self, method: str, path: str, query: dict, raw: bytes) -> dict:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._lock:
            script = self._script.get(path)
            answer = script.popleft() if script else None
            if answer is None:
                answer = self._succeed(method, path, query, body)
            elif path == TOKEN_PATH and "access_token" in answer:
                self._valid.add(answer["access_token"])
            self.calls.append(Call(method, path, query, raw, body, answer))
        return answer

    def _succeed(self, method: str, path: str, query: dict, body) -> dict:
        if path == TOKEN_PATH and method == "GET":
            if query.get("grant_type") != "client_credential" or query.get("appid") != APP_ID:
                return {"errcode": 40013, "errmsg": "invalid appid"}
            if query.get("secret") != APP_SECRET:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            token = f"ACCESS_TOKEN_{next(self._numbers)}"
            self._valid.add(token)
            return {"access_token": token, "expires_in": 7200}
        if path == SEND_PATH and method == "POST":
            token = query.get("access_token", "")
            if token in self._expired:
                return {"errcode": 42001, "errmsg": "access_token expired"}
            if token not in self._valid:
                return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
            if not (
                isinstance(body, dict)
                and body.get("msgtype") == "text"
                and body.get("touser")
                and (body.get("text") or {}).get("content")
            ):
                return {"errcode": 44002, "errmsg": "empty post data"}
            return {"errcode": 0, "errmsg": "ok"}
        return {"errcode": 48001, "errmsg": "api unauthorized"}


def _handler_for(fake: WeChatFake):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self._handle()

        def do_POST(self):
            self._handle()

        def _handle(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            url = urlsplit(self.path)
            answer = fake._answer(self.command, url.path, dict(parse_qsl(url.query)), raw)
            payload = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(200)  # WeChat reports errors in the body, with HTTP 200
            self.send_header("Content-Type", "application/json; encoding=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):
            pass

    return Handler


@contextmanager
def wechat_api(settings):
    """The WeChat adapter configured for tests and pointed at a fake API on loopback."""
    settings.CHANNEL_ADAPTERS = {**settings.CHANNEL_ADAPTERS, "wechat": ADAPTER}
    settings.WECHAT_TOKEN = TOKEN
    settings.WECHAT_APP_ID = APP_ID
    settings.WECHAT_APP_SECRET = APP_SECRET
    settings.WECHAT_ENCODING_AES_KEY = ENCODING_AES_KEY
    # Compatible mode: the tests send plain pushes as well as encrypted ones.
    settings.WECHAT_REQUIRE_SAFE_MODE = False
    reset_adapters()
    with WeChatFake() as fake:
        settings.WECHAT_API_BASE = fake.url
        key = get_adapter("wechat").token_cache_key()
        cache.delete(key)
        try:
            yield fake
        finally:
            cache.delete(key)
            reset_adapters()


# --- WeChat's side of the webhook -------------------------------------------------------


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def _key() -> bytes:
    return base64.b64decode(ENCODING_AES_KEY + "=")


def encrypt(xml: bytes, *, app_id: str = APP_ID) -> str:
    plain = secrets.token_bytes(16) + struct.pack("!I", len(xml)) + xml + app_id.encode()
    padding = 32 - len(plain) % 32
    plain += bytes([padding] * padding)
    encryptor = Cipher(algorithms.AES(_key()), modes.CBC(_key()[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def decrypt(encrypted: str) -> tuple[bytes, str]:
    """The XML and the AppID inside a safe-mode Encrypt value."""
    decryptor = Cipher(algorithms.AES(_key()), modes.CBC(_key()[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    plain = plain[: -plain[-1]][16:]
    length = struct.unpack("!I", plain[:4])[0]
    return plain[4 : 4 + length], plain[4 + length :].decode()


def push(client, xml: bytes, *, safe: bool = False, token: str = TOKEN, **query):
    """POST a push as WeChat does: signed query string; in safe mode the XML encrypted
    in an envelope and `msg_signature` over it as well."""
    timestamp, nonce = query.pop("timestamp", str(int(time.time()))), str(secrets.randbelow(10**9))
    params = {"signature": sign(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    params["openid"] = "oWx_demo_tanweiming"
    body = xml
    if safe:
        encrypted = encrypt(xml)
        body = (
            f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
            f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        ).encode()
        params["encrypt_type"] = "aes"
        params["msg_signature"] = sign(token, timestamp, nonce, encrypted)
    params.update(query)
    return client.post(f"/hooks/wechat/?{urlencode(params)}", body, content_type="text/xml")
