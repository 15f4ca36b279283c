import knex from "knex";

const db = knex({ client: "pg", connection: process.env.DATABASE_URL, pool: { min: 0, max: 10 } });

export const typeDefs = `#graphql
  type Shelf { id: ID! label: String }
  type Loan { id: ID! bookId: ID! shelf: Shelf }
  type Query { loans(first: Int = 20): [Loan!]! }
`;

export const resolvers = {
  Query: {
    loans: (_: unknown, args: { first: number }) => db("loans").limit(args.first),
  },
  Loan: {
    // ruleid: SC-DB-003
    shelf: (loan: { shelfId: string }) => db("shelves").where({ id: loan.shelfId }).first(),
  },
};
