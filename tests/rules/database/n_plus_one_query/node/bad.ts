import { PrismaClient } from "@prisma/client";
import { Repository } from "typeorm";
import { Order } from "./order.entity";

const prisma = new PrismaClient();

export async function feedWithAuthors(limit: number) {
  const posts = await prisma.post.findMany({ take: limit, orderBy: { createdAt: "desc" } });
  for (const post of posts) {
    // ruleid: SC-DB-003
    const author = await prisma.user.findUnique({ where: { id: post.authorId } });
    post.author = author;
  }
  return posts;
}

export async function commentCounts(postIds: string[]) {
  return Promise.all(
    // ruleid: SC-DB-003 low
    postIds.map((id) => prisma.comment.count({ where: { postId: id } })),
  );
}

export class OrdersService {
  constructor(private readonly orderRepository: Repository<Order>) {}

  async latestOrderPerCustomer(customers: { id: number }[]) {
    const out = [];
    for (const customer of customers) {
      const customerId = customer.id;
      // ruleid: SC-DB-003 low
      const order = await this.orderRepository.findOne({ where: { customerId }, order: { id: "DESC" } });
      out.push(order);
    }
    return out;
  }
}
