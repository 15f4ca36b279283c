import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Comment } from "./comment.entity";
import { ListCommentsDto, ListTagsDto } from "./dto";

@Injectable()
export class CommentsService {
  constructor(@InjectRepository(Comment) private readonly repo: Repository<Comment>) {}

  latest(take = 20) {
    // ruleid: SC-DB-012
    return this.repo.find({ order: { createdAt: "DESC" }, take });
  }

  forPost(postId: string, query: ListCommentsDto) {
    // ok: SC-DB-012
    return this.repo.find({ where: { postId }, take: query.perPage });
  }

  tags(query: ListTagsDto) {
    // ruleid: SC-DB-012
    return this.repo.createQueryBuilder("c").select("c.tag").orderBy("c.tag").take(query.size).getMany();
  }

  flagged(limit: number) {
    // ok: SC-DB-012
    return this.repo.find({ where: { flagged: true }, take: limit });
  }
}
