"use client";

import { useState } from "react";

// a client component: this map lives in one browser tab
// ok: SC-CACHE-002
const cache = new Map<string, string>();

export function CopyMarkdown({ url }: { url: string }) {
  const [busy, setBusy] = useState(false);
  async function copy() {
    const cached = cache.get(url);
    if (cached) return navigator.clipboard.writeText(cached);
    setBusy(true);
    const text = await fetch(url).then((r) => r.text());
    cache.set(url, text);
    setBusy(false);
    return navigator.clipboard.writeText(text);
  }
  return <button disabled={busy} onClick={copy}>Copy</button>;
}
