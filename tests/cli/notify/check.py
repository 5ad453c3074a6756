#!/usr/bin/python3
"""check.py - reads what the receivers saved, for notify-test.sh.

  check.py mail FILE.eml    prints From, To, decoded Subject and decoded body
  check.py json FILE.json   checks a webhook request; prints TYPE: facts
"""
import email
import email.policy
import json
import sys
import urllib.parse


def mail(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF in message"
    m = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("Date", "Message-ID", "MIME-Version", "From", "To", "Subject"):
        assert m[h], "missing " + h
    assert m.get_content_type() == "text/plain"
    assert m.get_content_charset() == "utf-8"
    assert m["Content-Transfer-Encoding"] == "base64"
    print("From:", m["From"])
    print("To:", m["To"])
    print("Subject:", str(m["Subject"]))
    print("Body:")
    print(m.get_content())


def webhook(path):
    with open(path) as f:
        r = json.load(f)
    h = {k.lower(): v for k, v in r["headers"].items()}
    p = r["path"]
    if p.startswith("/v2/rooms/"):
        assert h.get("content-type") == "application/x-www-form-urlencoded"
        form = urllib.parse.parse_qs(r["body"])
        body = form["body"][0]
        assert body.startswith("[info][title]") and body.endswith("[/info]")
        print("chatwork: path=%s token=%s body=%s" % (p, h.get("x-chatworktoken"), body))
        return
    assert h.get("content-type", "").startswith("application/json")
    b = json.loads(r["body"])
    if "blocks" in b:
        assert b["blocks"][0]["type"] == "header" and isinstance(b["text"], str)
        print("slack: path=%s text=%s blocks=%d" % (p, b["text"], len(b["blocks"])))
    elif b.get("type") == "message":
        att = b["attachments"][0]
        assert att["contentType"] == "application/vnd.microsoft.card.adaptive"
        card = att["content"]
        assert card["type"] == "AdaptiveCard"
        print("teams: path=%s title=%s blocks=%d" % (p, card["body"][0]["text"],
                                                     len(card["body"])))
    else:
        for k in ("severity", "title", "text", "action", "alerts", "link", "kind"):
            assert k in b, "generic JSON lacks " + k
        print("generic: path=%s kind=%s severity=%s title=%s alerts=%d" % (
            p, b["kind"], b["severity"], b["title"], len(b["alerts"])))


if __name__ == "__main__":
    {"mail": mail, "json": webhook}[sys.argv[1]](sys.argv[2])
