"""The fields `tool imap` lists, as CPython's email package (policy=default) reads them.

One JSON object a line for each message file given: subject, from (the first mailbox as
"Name <address>" or the bare address), date (RFC 3339 as tool writes it: Z for +0000, -00:00
for an unknown zone), message_id (without angle brackets) and the file names of the parts
outside any attached message. A field Python cannot read is null.
"""
import email
import email.policy
import json
import sys


def first_mailbox(message):
    try:
        header = message["from"]
        for address in header.addresses if header is not None else ():
            if address.addr_spec:
                name = address.display_name
                return f"{name} <{address.addr_spec}>" if name else address.addr_spec
    except Exception:
        pass
    return None


def date(message):
    try:
        header = message["date"]
        value = header.datetime if header is not None else None
    except Exception:
        return None
    if value is None:
        return None
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    offset = value.utcoffset()
    if offset is None:
        return text + "-00:00"
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return text + "Z"
    sign = "+" if minutes > 0 else "-"
    return f"{text}{sign}{abs(minutes) // 60:02}:{abs(minutes) % 60:02}"


def names(part):
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            yield from names(sub)
    else:
        name = part.get_filename()
        if name:
            yield name


def fields(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    subject = message["subject"]
    message_id = message["message-id"]
    return {
        "subject": None if subject is None else str(subject),
        "from": first_mailbox(message),
        "date": date(message),
        "message_id": None if message_id is None else str(message_id).strip().strip("<>"),
        "attachments": list(names(message)),
    }


for path in sys.argv[1:]:
    print(json.dumps(fields(path), ensure_ascii=False))
