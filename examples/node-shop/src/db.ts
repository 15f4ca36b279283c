import { PrismaClient } from "@prisma/client";

// One client for the whole process.
export const prisma = new PrismaClient();
