"""An HTTP proxy on loopback that injects S3 faults between spotgen and a
real S3-compatible server: 503 SlowDown, 500 InternalError, connection
resets, and stalls (the request hangs, then the connection closes).

usage: python3 fault_proxy.py PORT UPSTREAM_URL RATE SEED [--stall S] [--only-parts]
                             [--tls CERT KEY]   (serve HTTPS with this certificate)
                             [--corrupt N]      (flip a byte of the first N bodies
                                                 of unconditional PUTs, then forward)
                             [--complete-error N] (answer the first N
                                                 CompleteMultipartUpload with 200
                                                 and an InternalError inside)
                             [--from-part K]    (fault UploadPart only from part K on)
                             [--delay S]        (hold each UploadPart S seconds, then forward)
Writes one line per request to stdout: the fault or "ok", method, path, the
access key id that signed it (from the Authorization header, or -), its
x-amz-content-sha256 (UNSIGNED-PAYLOAD or a hash: "signed"), "md5" when it
carries a Content-MD5 (else -), and the S3 operation (UploadPart,
CreateMultipartUpload, CompleteMultipartUpload, AbortMultipartUpload, or the
method)."""
import argparse
import http.client
import random
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

args = argparse.ArgumentParser()
args.add_argument("port", type=int)
args.add_argument("upstream")
args.add_argument("rate", type=float)
args.add_argument("seed", type=int)
args.add_argument("--stall", type=float, default=3.0)
args.add_argument("--only-parts", action="store_true", help="fault only UploadPart requests")
args.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
args.add_argument("--corrupt", type=int, default=0)
args.add_argument("--complete-error", type=int, default=0)
args.add_argument("--from-part", type=int, default=1)
args.add_argument("--delay", type=float, default=0.0)
opt = args.parse_args()
up = urlsplit(opt.upstream)
rng = random.Random(opt.seed)
lock = threading.Lock()
# Faults take turns, so every kind occurs once a few requests were faulted.
FAULTS = ["slowdown", "internal", "reset", "stall"]
turn = [0]
left = {"corrupt": opt.corrupt, "error200": opt.complete_error}

ERROR = """<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>{code}</Code><Message>injected by fault_proxy</Message></Error>"""


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        is_part = self.command == "PUT" and "partNumber" in query
        op = {("PUT", True): "UploadPart", ("POST", False): "CompleteMultipartUpload",
              ("DELETE", False): "AbortMultipartUpload"}.get((self.command, is_part), self.command)
        if "uploadId" not in query and op != "UploadPart":
            op = "CreateMultipartUpload" if self.command == "POST" and "uploads" in query else self.command
        conditional = self.headers.get("If-None-Match") or self.headers.get("If-Match")
        with lock:
            fault = None
            if op == "CompleteMultipartUpload" and left["error200"] > 0:
                left["error200"] -= 1
                fault = "error200"
            elif self.command == "PUT" and body and not conditional and left["corrupt"] > 0:
                left["corrupt"] -= 1
                fault = "corrupt"
            elif ((is_part and int(query["partNumber"][0]) >= opt.from_part) or not opt.only_parts) \
                    and rng.random() < opt.rate:
                kinds = FAULTS[:3] if opt.only_parts else FAULTS
                fault = kinds[turn[0] % len(kinds)]
                turn[0] += 1
            auth = self.headers.get("Authorization") or ""
            key = auth.split("Credential=")[1].split("/")[0] if "Credential=" in auth else "-"
            sha = self.headers.get("x-amz-content-sha256") or "-"
            payload = sha if sha in ("-", "UNSIGNED-PAYLOAD") else "signed"
            md5 = "md5" if self.headers.get("Content-MD5") else "-"
            print(fault or "ok", self.command, self.path.split("?")[0], key, payload, md5, op, flush=True)
        if fault == "error200":  # S3 documents this: the error is in the body of a 200
            data = ERROR.format(code="InternalError").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if is_part and opt.delay:
            time.sleep(opt.delay)
        if fault == "corrupt":
            body = bytes([body[0] ^ 0x01]) + body[1:]
        if fault in ("slowdown", "internal"):
            code, status = ("SlowDown", 503) if fault == "slowdown" else ("InternalError", 500)
            data = ERROR.format(code=code).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":  # an answer to HEAD has no body, as S3's
                self.wfile.write(data)
            return
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if fault == "stall":
            time.sleep(opt.stall)
            self.close_connection = True
            return
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
        headers = {k: v for k, v in self.headers.items()}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


server = ThreadingHTTPServer(("127.0.0.1", opt.port), Proxy)
server.daemon_threads = True
if opt.tls:
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*opt.tls)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.serve_forever()
