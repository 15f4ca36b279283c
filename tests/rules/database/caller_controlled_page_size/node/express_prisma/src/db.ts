import { PrismaClient } from "@prisma/client";
import knexFactory from "knex";
import { Sequelize, DataTypes } from "sequelize";

export const prisma = new PrismaClient();
export const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
export const sequelize = new Sequelize(process.env.DATABASE_URL as string);

export const Comment = sequelize.define("Comment", { body: DataTypes.TEXT, postId: DataTypes.INTEGER });
