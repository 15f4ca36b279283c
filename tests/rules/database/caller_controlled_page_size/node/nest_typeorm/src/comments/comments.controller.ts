import { Controller, Get, Param, ParseIntPipe, Query } from "@nestjs/common";
import { CommentsService } from "./comments.service";
import { ListCommentsDto, ListTagsDto } from "./dto";

@Controller("comments")
export class CommentsController {
  constructor(private readonly commentsService: CommentsService) {}

  @Get()
  list(@Query("take", new ParseIntPipe({ optional: true })) take?: number) {
    return this.commentsService.latest(take);
  }

  @Get("by-post/:postId")
  byPost(@Param("postId") postId: string, @Query() query: ListCommentsDto) {
    return this.commentsService.forPost(postId, query);
  }

  @Get("tags")
  tags(@Query() query: ListTagsDto) {
    return this.commentsService.tags(query);
  }

  @Get("flagged")
  flagged(@Query("limit", ParseIntPipe) limit: number) {
    // a bound checked where the value arrives
    return this.commentsService.flagged(Math.min(limit, 50));
  }
}
