import { Body, Controller, Get, Post, Query } from "@nestjs/common";
import { ArticlesService } from "./articles.service";

@Controller("articles")
export class ArticlesController {
  constructor(private readonly articlesService: ArticlesService) {}

  @Post()
  create(@Body() body: Record<string, string>) {
    return this.articlesService.create(body);
  }

  @Get("search")
  search(@Query("q") q: string) {
    return this.articlesService.search(q);
  }

  @Get("by-byline")
  byByline(@Query("q") q: string) {
    return this.articlesService.byByline(q);
  }

  @Get("full")
  full(@Query("q") q: string) {
    return this.articlesService.fullText(q);
  }

  @Get("mine")
  mine(@Query("tenant") tenant: string, @Query("q") q: string) {
    return this.articlesService.forTenant(tenant, q);
  }
}
