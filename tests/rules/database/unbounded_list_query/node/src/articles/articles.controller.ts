import { Controller, Get, Query } from "@nestjs/common";
import { ArticlesService } from "./articles.service";

@Controller("articles")
export class ArticlesController {
  constructor(private readonly articlesService: ArticlesService) {}

  @Get()
  findAll(@Query("tag") tag: string) {
    return this.articlesService.listByTag(tag);
  }
}
