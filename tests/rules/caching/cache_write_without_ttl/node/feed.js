const { createClient } = require("redis");

const client = createClient({ url: process.env.REDIS_URL });

async function storeFeed(userId, items) {
  // ok: SC-CACHE-005
  await client.set(`feed:${userId}`, JSON.stringify(items), { EX: 120 });
  // ruleid: SC-CACHE-005
  await client.set(`feed:${userId}:all`, JSON.stringify(items));
}

module.exports = { storeFeed };
