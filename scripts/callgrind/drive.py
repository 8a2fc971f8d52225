#!/usr/bin/env python3
"""Drives a running `zorgvuldig serve` of a demo installation for an instruction count:
signs hulpverlener1 in (password, then TOTP), then views the first dossier of the
caseload N times over one keep-alive connection. Standard library only.

usage: drive.py PORT login SESSION_FILE
       drive.py PORT add SESSION_FILE N   (adds N conversation reports, as the bench's subject has)
       drive.py PORT run SESSION_FILE N
"""
import html
import os
import http.client
import json
import re
import sys
import time
import urllib.parse

# The TOTP code as CI's sign-in script computes it.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".ci"))
from api_token import totp  # noqa: E402

DEMO_PASSWORD = "zorgvuldig-demo"
DEMO_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def main() -> None:
    port, mode, session_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    cookies: dict[str, str] = {}

    def send(method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        text = r.read().decode(errors="replace")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, value = v.split(";")[0].split("=", 1)
                cookies[name] = value
        return r.status, text

    def csrf(page: str) -> str:
        return html.unescape(re.search(r'name="csrf" value="([^"]+)"', page).group(1))

    if mode == "login":
        send("POST", "/aanmelden", {"username": "hulpverlener1", "password": DEMO_PASSWORD})
        _, page = send("GET", "/aanmelden/code")
        send("POST", "/aanmelden/code", {"csrf": csrf(page), "code": totp(DEMO_TOTP, time.time())})
        _, page = send("GET", "/")
        ids = re.findall(r"/trajecten/([0-9a-f-]{36})", page)
        if not ids:
            sys.exit("no dossier on the caseload page: did the sign-in work?")
        with open(session_file, "w") as f:
            json.dump({"cookies": cookies, "trajectory": ids[0]}, f)
        return
    with open(session_file) as f:
        saved = json.load(f)
    cookies.update(saved["cookies"])
    n = int(sys.argv[4])
    if mode == "add":
        path = f"/trajecten/{saved['trajectory']}"
        _, page = send("GET", path)
        token = csrf(page)
        for i in range(1, n + 1):
            body = (
                f"Gesprek {i}: de cli\u00ebnt vertelt over de week, de afspraken met de school "
                "en het budgetplan. We spreken af dat zij de brief van de gemeente meeneemt. "
                + "Vervolgafspraak over twee weken. " * 8
            )
            form = {"csrf": token, "kind": "conversation_report", "title": f"Gesprek {i}",
                    "body": body, "progress": "", "special": "", "necessity": ""}
            status, _ = send("POST", f"{path}/items", form)
            if status not in (200, 303):
                sys.exit(f"adding an entry answered {status}")
        return
    sizes = set()
    for _ in range(n):
        status, page = send("GET", f"/trajecten/{saved['trajectory']}")
        if status != 200:
            sys.exit(f"dossier view answered {status}")
        sizes.add(len(page))
    print(f"{n} dossier views, page sizes {sorted(sizes)}")


if __name__ == "__main__":
    main()
