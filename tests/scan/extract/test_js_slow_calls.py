"""Node slow-call extraction: kinds, targets, timeouts, loop and transaction context."""

from __future__ import annotations

from scalescope.model.facts import SlowCall
from scalescope.scan.extract.base import extract_file

TEXT = """import axios from 'axios';
import { execSync } from 'child_process';
import fs from 'fs';
import bcrypt from 'bcrypt';
import sharp from 'sharp';
export async function f(urls: string[], tx: any) {
  await fetch('https://a.example.com');
  await fetch('https://a.example.com', { signal: AbortSignal.timeout(5000) });
  await axios.get('https://b.example.com', { timeout: 3000 });
  await axios.post('https://b.example.com', { a: 1 });
  await prisma.$transaction(async (t) => {
    await transporter.sendMail({ to: 'x' });
    await new Promise((r) => setTimeout(r, 500));
  });
  for (const u of urls) { await got(u); }
  execSync('ls');
  const data = fs.readFileSync('/etc/hosts');
  const h = bcrypt.hashSync('pw', 12);
  const img = await sharp(data).resize(10).toBuffer();
  await sleep(100);
  setTimeout(() => console.log('later'), 10);
  const found = urls.find((u) => u === 'x');
  await this.httpService.get('https://c.example.com').toPromise();
}
"""


def _calls() -> list[SlowCall]:
    result = extract_file("src/a.ts", "typescript", TEXT)
    assert not result.errors, result.errors
    return sorted((f for f in result.facts if isinstance(f, SlowCall)), key=lambda c: c.loc.line)


def test_kinds_targets_and_timeouts() -> None:
    got = [(c.loc.line, c.kind, c.target, c.has_timeout) for c in _calls()]
    assert got == [
        (7, "http", "fetch", False),
        (8, "http", "fetch", True),
        (9, "http", "axios.get", True),
        (10, "http", "axios.post", False),
        (12, "email", "transporter.sendMail", None),
        (13, "sleep", "setTimeout", None),
        (15, "http", "got", False),
        (16, "subprocess", "execSync", None),
        (17, "file-io", "fs.readFileSync", None),
        (18, "crypto", "bcrypt.hashSync", None),
        (19, "image", "sharp", None),
        (20, "sleep", "sleep", None),
        (23, "http", "httpService.get", False),
    ]


def test_transaction_and_loop_context() -> None:
    by_line = {c.loc.line: c for c in _calls()}
    assert by_line[12].in_transaction and by_line[13].in_transaction
    assert not by_line[7].in_transaction
    assert by_line[15].loop is not None and by_line[15].loop.kind == "for"
    assert by_line[7].function_id == "src/a.ts::f@6"
