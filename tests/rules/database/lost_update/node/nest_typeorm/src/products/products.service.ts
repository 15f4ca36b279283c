import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { DataSource, Repository } from "typeorm";
import { Product } from "./product.entity";

@Injectable()
export class ProductsService {
  constructor(
    @InjectRepository(Product) private readonly productRepository: Repository<Product>,
    private readonly dataSource: DataSource,
  ) {}

  async buy(id: number, qty: number) {
    const product = await this.productRepository.findOneBy({ id });
    if (!product) throw new Error("not found");
    // ruleid: SC-DB-013
    product.stock -= qty;
    // ruleid: SC-DB-013
    product.soldCount = product.soldCount + qty;
    return this.productRepository.save(product);
  }

  async reserve(id: number, qty: number) {
    const product = await this.productRepository.findOne({ where: { id } });
    if (!product || product.stock < qty) throw new Error("out of stock");
    // ruleid: SC-DB-013
    await this.productRepository.decrement({ id }, "stock", qty);
  }

  async buyLocked(id: number, qty: number) {
    return this.dataSource.transaction(async (manager) => {
      const product = await manager.findOne(Product, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!product || product.stock < qty) throw new Error("out of stock");
      // ok: SC-DB-013
      product.stock -= qty;
      return manager.save(product);
    });
  }

  async sell(id: number) {
    // ok: SC-DB-013
    await this.productRepository.decrement({ id }, "stock", 1);
  }
}
