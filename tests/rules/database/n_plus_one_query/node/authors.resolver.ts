import { Parent, Query, ResolveField, Resolver } from "@nestjs/graphql";
import DataLoader from "dataloader";
import { PrismaService } from "./prisma.service";
import { Author, Book, Publisher } from "./models";

@Resolver(() => Author)
export class AuthorsResolver {
  constructor(
    private readonly prisma: PrismaService,
    private readonly publisherLoader: DataLoader<string, Publisher>,
  ) {}

  @Query(() => [Author])
  authors() {
    return this.prisma.author.findMany({ take: 50 });
  }

  @ResolveField("books", () => [Book])
  books(@Parent() author: Author) {
    // ruleid: SC-DB-003
    return this.prisma.book.findMany({ where: { authorId: author.id } });
  }

  @ResolveField("agent", () => Author)
  agent(@Parent() author: Author) {
    // ok: SC-DB-003 (Prisma batches findUnique calls of one tick)
    return this.prisma.author.findUnique({ where: { id: author.agentId } });
  }

  @ResolveField("publisher", () => Publisher)
  publisher(@Parent() author: Author) {
    // ok: SC-DB-003 (a DataLoader batches per request)
    return this.publisherLoader.load(author.publisherId);
  }
}

@Resolver(() => Publisher)
export class PublisherResolver {
  constructor(private readonly prisma: PrismaService) {}

  @Query(() => Publisher)
  publisher() {
    return this.prisma.publisher.findFirst();
  }

  @ResolveField("imprints", () => [String])
  imprints(@Parent() publisher: Publisher) {
    // ok: SC-DB-003 (Publisher is never served as a list: one query per request)
    return this.prisma.imprint.findMany({ where: { publisherId: publisher.id } });
  }
}
