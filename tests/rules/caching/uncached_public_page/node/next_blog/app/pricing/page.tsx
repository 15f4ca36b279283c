import { loadRates } from "../../lib/posts";

export default async function PricingPage() {
  const rates = await loadRates();
  return <table>{JSON.stringify(rates)}</table>;
}
