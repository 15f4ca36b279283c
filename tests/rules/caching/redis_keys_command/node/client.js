const { createClient } = require("redis");

const client = createClient({ url: process.env.REDIS_URL });

async function purgeReports() {
  // ruleid: SC-CACHE-004
  const keys = await client.keys("report:*");
  // ok: SC-CACHE-004
  const headers = Object.keys(process.env);
  return keys.concat(headers);
}

module.exports = { purgeReports };
