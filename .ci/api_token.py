#!/usr/bin/env python3
"""Signs in to a running Zorgvuldig as a demo account, the way a person does (password,
then the code of the authenticator app), makes an API token on "API-sleutels" and prints
it. Used by .ci/schemathesis; standard library only.

With --portal, signs a client in to the portal instead and prints the portal session
cookie ("name=value"): the only credential a client has, which the API must refuse.

usage: api_token.py BASE_URL USERNAME PASSWORD TOTP_SECRET SCOPE...
       api_token.py --portal BASE_URL USERNAME PASSWORD TOTP_SECRET
"""
import base64
import datetime
import hashlib
import hmac
import html
import http.cookiejar
import re
import struct
import sys
import time
import urllib.parse
import urllib.request


def totp(secret: str, at: float) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    args = sys.argv[1:]
    portal = args[:1] == ["--portal"]
    if portal:
        args = args[1:]
    base, username, password, secret, *scopes = args
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), NoRedirect
    )

    def send(path: str, form: dict | None = None) -> str:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with opener.open(base + path, data=data) as r:
                return r.read().decode()
        except urllib.error.HTTPError as e:
            if e.code in (302, 303):
                return ""
            raise

    def csrf(page: str) -> str:
        m = re.search(r'name="csrf" value="([^"]+)"', page)
        if not m:
            sys.exit(f"no CSRF token on the page for {username}")
        return html.unescape(m.group(1))

    if portal:
        send("/portaal/aanmelden", {"username": username, "password": password})
        page = send("/portaal/aanmelden/code")
        send(
            "/portaal/aanmelden/code",
            {"csrf": csrf(page), "code": totp(secret, time.time())},
        )
        session = [c for c in jar if c.name.endswith("zv_portal")]
        if not session:
            sys.exit(f"no portal session for {username}")
        print(f"{session[0].name}={session[0].value}")
        return

    send("/aanmelden", {"username": username, "password": password})
    page = send("/aanmelden/code")
    send("/aanmelden/code", {"csrf": csrf(page), "code": totp(secret, time.time())})
    page = send("/api-sleutels")
    form = {
        "csrf": csrf(page),
        "name": "schemathesis",
        "expires_on": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
    }
    for s in scopes:
        form[f"scope_{s}"] = "on"
    page = send("/api-sleutels", form)
    m = re.search(r"(zv_[A-Za-z0-9_\-]+)", page)
    if not m:
        sys.exit(f"no token shown for {username}")
    print(m.group(1))


if __name__ == "__main__":
    main()
