import { Body, Controller, Param, Post } from "@nestjs/common";
import { ProductsService } from "./products.service";

@Controller("products")
export class ProductsController {
  constructor(private readonly productsService: ProductsService) {}

  @Post(":id/buy")
  buy(@Param("id") id: number, @Body() body: { qty: number }) {
    return this.productsService.buy(id, body.qty);
  }

  @Post(":id/reserve")
  reserve(@Param("id") id: number, @Body() body: { qty: number }) {
    return this.productsService.reserve(id, body.qty);
  }

  @Post(":id/buy-locked")
  buyLocked(@Param("id") id: number, @Body() body: { qty: number }) {
    return this.productsService.buyLocked(id, body.qty);
  }

  @Post(":id/sell")
  sell(@Param("id") id: number) {
    return this.productsService.sell(id);
  }
}
