import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Article } from "./article.entity";

@Injectable()
export class ArticlesService {
  constructor(@InjectRepository(Article) private readonly articleRepository: Repository<Article>) {}

  async listByTag(tag: string) {
    // ruleid: SC-DB-004
    return this.articleRepository.find({ where: { tag }, order: { createdAt: "DESC" } });
  }

  async rebuildSearchIndex() {
    // not reachable from any route
    // ok: SC-DB-004
    return this.articleRepository.find();
  }
}
