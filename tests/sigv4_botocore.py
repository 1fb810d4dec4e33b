"""Generates awkward S3 requests, signs them with botocore's S3SigV4Auth, and
writes the cases (for tests/sigv4_tool) and botocore's Authorization headers.

usage: python3 sigv4_botocore.py CASES.jsonl EXPECTED.txt [N]"""
import json
import random
import sys
from urllib.parse import quote

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

PIECES = ["a", "Z", "0", " ", "+", "=", "/", "%", "~", "-", "_", ".", "*", "!", "'", "(", ")",
          "&", "?", "#", ":", "@", ",", ";", "$", "é", "ø", "日本", "🎵", "%2F", "a b", "x+y",
          "~user", "//"]


def awkward(rng, lo=1, hi=12):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(lo, hi)))


def main():
    cases_path, expected_path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 250
    rng = random.Random(20261124)
    with open(cases_path, "w") as cases, open(expected_path, "w") as expected:
        for i in range(n):
            method = rng.choice(["GET", "PUT", "POST", "DELETE", "HEAD"])
            host = rng.choice(["examplebucket.s3.amazonaws.com", "127.0.0.1:9000",
                               "s3.eu-west-1.amazonaws.com", "my-bucket.s3.ap-south-1.amazonaws.com"])
            key = "/" + rng.choice(["", "bucket/"]) + awkward(rng)
            query = [(awkward(rng, 1, 4), awkward(rng, 0, 6)) for _ in range(rng.randint(0, 4))]
            if rng.random() < 0.3:
                query.append(("uploadId", awkward(rng)))
                query.append(("partNumber", str(rng.randint(1, 10000))))
            headers = []
            if rng.random() < 0.5:
                headers.append(("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="))
            if rng.random() < 0.5:
                headers.append(("x-amz-meta-Note", "  spaced   out  value "))
            if rng.random() < 0.3:
                headers.append(("Range", "bytes=0-%d" % rng.randint(1, 999)))
            if rng.random() < 0.3:
                headers.append(("Content-Type", "text/csv; charset=utf-8"))
            token = awkward(rng, 10, 30) if rng.random() < 0.3 else ""
            creds = Credentials("AKID%04d" % i, "secret/" + awkward(rng, 5, 20), token or None)
            region = rng.choice(["us-east-1", "eu-west-1", "ap-south-1"])
            date = "2026%02d%02dT%02d%02d%02dZ" % (rng.randint(1, 12), rng.randint(1, 28),
                                                   rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
            body = awkward(rng, 0, 20).encode() if method in ("PUT", "POST") else b""
            unsigned = rng.random() < 0.5
            scheme = "https" if unsigned else "http"
            url = scheme + "://" + host + quote(key, safe="/~")
            req = AWSRequest(method=method, url=url, headers=dict(headers), data=body, params=query)
            req.context["timestamp"] = date
            req.context["client_config"] = Config(s3={"payload_signing_enabled": not unsigned})
            auth = S3SigV4Auth(creds, "s3", region)
            auth._modify_request_before_signing(req)
            payload_hash = req.headers["X-Amz-Content-SHA256"]
            canonical = auth.canonical_request(req)
            signature = auth.signature(auth.string_to_sign(req, canonical), req)
            auth._inject_signature_to_request(req, signature)
            cases.write(json.dumps({
                "method": method, "host": host, "key": key, "query": query, "headers": headers,
                "payload_hash": payload_hash, "amz_date": date, "region": region,
                "access_key": creds.access_key, "secret_key": creds.secret_key,
                "session_token": token}, ensure_ascii=False) + "\n")
            expected.write(req.headers["Authorization"] + "\n")


main()
