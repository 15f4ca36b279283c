import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { ILike, Like, Repository } from "typeorm";
import { Article } from "./article.entity";

@Injectable()
export class ArticlesService {
  constructor(@InjectRepository(Article) private readonly repo: Repository<Article>) {}

  create(body: Record<string, string>) {
    return this.repo.save(this.repo.create(body));
  }

  search(q: string) {
    // ruleid: SC-DB-014
    return this.repo.find({ where: { headline: ILike(`%${q}%`) }, take: 20 });
  }

  byByline(q: string) {
    // the migration's trigram index covers byline
    // ok: SC-DB-014
    return this.repo.find({ where: { byline: Like(`%${q}%`) }, take: 20 });
  }

  fullText(q: string) {
    // the query builder's condition binds `%${q}%` to :q
    // ruleid: SC-DB-014
    return this.repo
      .createQueryBuilder("a")
      .where("a.content ILIKE :q", { q: `%${q}%` })
      .orderBy("a.createdAt", "DESC")
      .take(20)
      .getMany();
  }

  forTenant(tenant: string, q: string) {
    // one tenant's articles: the equality on tenantId narrows the rows first
    // ok: SC-DB-014
    return this.repo.find({ where: { tenantId: tenant, headline: ILike(`%${q}%`) }, take: 20 });
  }

  bySlugPrefix(q: string) {
    // a prefix pattern
    // ok: SC-DB-014
    return this.repo.find({ where: { slug: Like(`${q}%`) } });
  }
}
