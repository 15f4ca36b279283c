"""Python slow-call extraction: kinds, timeouts, transaction and loop context, look-alikes."""

from __future__ import annotations

from scalescope.model.facts import SlowCall
from scalescope.scan.extract.base import extract_file

CODE = """import time, asyncio, subprocess
import requests
import httpx
from django.core.mail import send_mail, EmailMessage
from django.db import transaction
from PIL import Image
from weasyprint import HTML
import boto3

client = httpx.Client(timeout=5)
s3 = boto3.client("s3")

def place_order(request):
    with transaction.atomic():
        requests.post("https://pay", json={}, timeout=3)
        send_mail("s", "b", "f", ["t"])
        transaction.on_commit(lambda: send_mail("s", "b", "f", ["t"]))
        time.sleep(1)
        subprocess.run(["ls"])
        img = Image.open("x.png")
        HTML(string="x").write_pdf()
        s3.upload_file("a", "b", "c")
        EmailMessage("s", "b").send()
        client.get("/x")
    requests.get("https://x")
    data = {}
    data.get("x")
    for url in request.POST.getlist("u"):
        requests.get(url)

async def poll():
    await asyncio.sleep(0.1)
    await asyncio.sleep(2)
    async with httpx.AsyncClient() as c:
        await c.get("x")
    time.sleep(0)
"""


def _calls() -> dict[int, SlowCall]:
    result = extract_file("app/views.py", "python", CODE)
    assert not result.errors, result.errors
    return {f.loc.line: f for f in result.facts if isinstance(f, SlowCall)}


def test_kinds_and_targets() -> None:
    calls = _calls()
    got = {line: (c.kind, c.target) for line, c in calls.items()}
    assert got == {
        15: ("http", "requests.post"),
        16: ("email", "send_mail"),
        17: ("email", "send_mail"),
        18: ("sleep", "time.sleep"),
        19: ("subprocess", "subprocess.run"),
        20: ("image", "Image.open"),
        21: ("pdf", "write_pdf"),
        22: ("http", "s3.upload_file"),
        23: ("email", "EmailMessage.send"),
        24: ("http", "client.get"),
        25: ("http", "requests.get"),
        29: ("http", "requests.get"),
        33: ("sleep", "asyncio.sleep"),
        35: ("http", "c.get"),
    }


def test_transaction_timeout_and_loop_context() -> None:
    calls = _calls()
    inside = {line for line, c in calls.items() if c.in_transaction}
    assert inside == {15, 16, 18, 19, 20, 21, 22, 23, 24}  # on_commit (17) runs after COMMIT
    assert calls[15].has_timeout is True and calls[25].has_timeout is False
    assert calls[24].has_timeout is True  # httpx.Client(timeout=5) receiver
    assert calls[19].has_timeout is False
    loop = calls[29].loop
    assert loop is not None and loop.kind == "for" and loop.uses_item is True
    assert calls[15].function_id == "app/views.py::place_order@13"
