import { headers } from "next/headers";

export default async function LocaleLayout({ children }: { children: React.ReactNode }) {
  const lang = (await headers()).get("accept-language");
  return <div lang={lang ?? "en"}>{children}</div>;
}
