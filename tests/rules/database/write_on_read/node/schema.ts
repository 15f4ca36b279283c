import { ApolloServer } from "@apollo/server";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

const typeDefs = `#graphql
  type Article { id: ID! title: String! views: Int! }
  type Query { article(id: ID!): Article }
  type Mutation { likeArticle(id: ID!): Article }
`;

const resolvers = {
  Query: {
    article: async (_: unknown, { id }: { id: string }) =>
      // ruleid: SC-DB-011 (high)
      prisma.article.update({ where: { id }, data: { views: { increment: 1 } } }),
  },
  Mutation: {
    likeArticle: async (_: unknown, { id }: { id: string }) =>
      // ok: SC-DB-011
      prisma.article.update({ where: { id }, data: { likes: { increment: 1 } } }),
  },
};

export const server = new ApolloServer({ typeDefs, resolvers });
