"use client";

import { useEffect, useState } from "react";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default function Editor() {
  const [text, setText] = useState("");
  useEffect(() => {
    fetch("/api/draft", { cache: "no-store" }).then((r) => r.text()).then(setText);
  }, []);
  return <textarea value={text} onChange={(e) => setText(e.target.value)} />;
}
