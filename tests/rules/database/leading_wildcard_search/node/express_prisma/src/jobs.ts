import { postsMentioning } from "./services/search";

export async function nightly() {
  await postsMentioning("release");
}
