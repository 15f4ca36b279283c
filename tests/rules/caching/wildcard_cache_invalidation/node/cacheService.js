const cacheManager = require("cache-manager");

class CacheService {
  constructor(cache) {
    this.cache = cache;
  }

  async onOrderWritten(orderId) {
    // ruleid: SC-CACHE-003
    await this.cache.delPattern(`orders:*`);
    // ok: SC-CACHE-003
    await this.cache.del(`order:${orderId}`);
  }
}

module.exports = { CacheService, cacheManager };
