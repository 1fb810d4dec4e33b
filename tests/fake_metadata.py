"""A small stand-in, on loopback, for the credential endpoints spotgen
reads: EC2's instance metadata service (IMDSv2: a session token first, then
the role and its credentials) and the ECS container credentials endpoint.

usage: python3 fake_metadata.py PORT CREDS.json [--ttl SECONDS] [--ecs-token TOKEN]
CREDS.json is a list of credentials ({AccessKeyId, SecretAccessKey, Token});
each fetch serves the next one (the last one again once all were served),
with an Expiration TTL seconds ahead, so that which fetch a request was
signed after is told by its key. One line per credential fetch goes to
stdout: "fetch N KEY"."""
import argparse
import datetime
import json
import secrets
from http.server import BaseHTTPRequestHandler, HTTPServer

args = argparse.ArgumentParser()
args.add_argument("port", type=int)
args.add_argument("creds")
args.add_argument("--ttl", type=int, default=3600)
args.add_argument("--ecs-token", default="")
opt = args.parse_args()
CREDS = json.load(open(opt.creds))
ROLE = "spotgen-role"
tokens = set()
fetches = [0]


def credentials():
    c = dict(CREDS[min(fetches[0], len(CREDS) - 1)])
    fetches[0] += 1
    expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=opt.ttl)
    c.update(Code="Success", Type="AWS-HMAC", Expiration=expiry.strftime("%Y-%m-%dT%H:%M:%SZ"))
    print("fetch", fetches[0], c["AccessKeyId"], flush=True)
    return json.dumps(c)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, status, body=""):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            token = secrets.token_hex(16)
            tokens.add(token)
            return self.reply(200, token)
        self.reply(400)

    def do_GET(self):
        if self.path == "/ecs-credentials":
            if self.headers.get("Authorization") != opt.ecs_token:
                return self.reply(401)
            return self.reply(200, credentials())
        if self.headers.get("X-aws-ec2-metadata-token") not in tokens:
            return self.reply(401)  # IMDSv2 only: no token, no answer
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == base:
            return self.reply(200, ROLE)
        if self.path == base + ROLE:
            return self.reply(200, credentials())
        self.reply(404)


HTTPServer(("127.0.0.1", opt.port), Handler).serve_forever()
