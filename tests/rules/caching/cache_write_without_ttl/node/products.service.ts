import { Inject, Injectable } from "@nestjs/common";
import { CACHE_MANAGER } from "@nestjs/cache-manager";
import { Cache } from "cache-manager";

@Injectable()
export class ProductsService {
  constructor(@Inject(CACHE_MANAGER) private cacheManager: Cache) {}

  async remember(id: string, product: unknown) {
    // ok: SC-CACHE-005
    await this.cacheManager.set(`product:${id}`, product);
    // ok: SC-CACHE-005
    await this.cacheManager.set(`product:${id}:short`, product, 10_000);
  }
}
